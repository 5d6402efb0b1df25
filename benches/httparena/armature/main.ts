// Armature's HttpArena entry: `PROFILE=<name> npm run httparena` serves that profile on
// HttpArena's port for it; PROFILE=all (the default) opens every listener at once: HTTP/1.1 on
// PORT (8080), HTTP/1.1 over TLS on TLS_PORT (8081), HTTP/2 over TLS on H2_PORT (8443), HTTP/2
// cleartext on H2C_PORT (8082). Missing data files are generated first (see ../setup.ts for
// the database); WORKERS=n serves the HTTP/1.1 listener from n processes (the gateway's server).
// SIGTERM / SIGINT: every listener drains, the pool ends, the process exits.
import { Armature } from '@armature/core';
import { UPLOAD_LIMIT, tlsFiles } from '../config.js';
import { ensureDataFiles } from '../generate/files.js';
import { announce, listenHost, listenersFor, portOf } from '../profiles.js';
import { AppModule } from './app.module.js';
import { Listeners } from './listeners.js';

const ENTRY = 'armature';

ensureDataFiles();
const listeners = listenersFor();
// WORKERS (a count or auto): one process per worker on the HTTP/1.1 listener (the gateway's server)
const workers = process.env.WORKERS ? (process.env.WORKERS === 'auto' ? 'auto' : Number(process.env.WORKERS)) : undefined;
if (workers !== undefined && listeners.some((l) => l !== 'h1')) throw new Error('WORKERS serves the HTTP/1.1 listener only: set PROFILE to one of its profiles');
const armature = await Armature.create(AppModule, {
  serverName: 'Armature',
  maxBodySize: UPLOAD_LIMIT, // the engine's ceiling; each route has its own limit below it
  bodyLimit: 64 * 1024,
  ...(workers !== undefined ? { workers } : {}),
});
await armature.ready();
let engineListening = false;
for (const listener of listeners) {
  const wanted = portOf(listener);
  if ((listener === 'h1' || listener === 'h1-tls') && !engineListening) {
    engineListening = true; // the app's own listener: Armature's engine, plain or over TLS
    const { port } = await armature.listen({ port: wanted, host: listenHost(), ...(listener === 'h1-tls' ? { tls: tlsFiles() } : {}) });
    announce(ENTRY, listener, port);
  } else if (listener !== 'h1') {
    announce(ENTRY, listener, await armature.get(Listeners).open(armature.app, listener, wanted));
  }
}
armature.enableShutdownHooks();
