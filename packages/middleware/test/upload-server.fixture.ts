// A process that takes uploads to disk (for the memory test): prints its port; GET /memory
// answers its resident memory and peak (VmHWM); serves until stdin closes.
import { readFileSync } from 'node:fs';
import { createApp } from '@armature/core';
import { multipart, multipartForm } from '@armature/middleware/multipart';

// a long upload: the request timeout is raised to the test's own
const app = createApp({ bodyLimit: 4 * 1024 * 1024 * 1024, maxBodySize: 4 * 1024 * 1024 * 1024, requestTimeout: 170_000 });
app.post('/upload', { middleware: [multipart({ tmpdir: process.env.UPLOAD_DIR!, limits: { fileSize: 2 * 1024 * 1024 * 1024 } })] }, (ctx) => ({
  sizes: multipartForm(ctx).files.map((f) => f.size),
}));
app.get('/memory', () => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
});
const { port } = await app.listen({ port: 0 });
process.stdout.write(`${port}\n`);
process.stdin.resume();
process.stdin.on('end', () => void app.close().then(() => process.exit(0)));
