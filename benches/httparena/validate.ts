// `npm run httparena:validate`: HttpArena's validation against an entry that is already running
// (any of them, or your own deployment), like HttpArena's scripts/validate.sh: the ports from
// PORT, TLS_PORT, H2_PORT, H2C_PORT (HttpArena's 8080, 8081, 8443, 8082), the profiles from
// PROFILES (default every one), and GATEWAY_PORT to check a gateway instead. Prints PASS / FAIL per
// check and exits 1 when one failed.
import { dataDir } from './config.js';
import { portOf } from './profiles.js';
import { gatewayChecks, httpArenaChecks, wsChecks, type Check } from './validation.js';

const wanted = process.env.PROFILES?.split(',').map((p) => p.trim()).filter(Boolean);
const checks: Check[] = process.env.GATEWAY_PORT
  ? gatewayChecks(() => Number(process.env.GATEWAY_PORT))
  : [...httpArenaChecks((listener) => portOf(listener), dataDir()), ...wsChecks(() => portOf('h1'))].filter((c) => wanted === undefined || wanted.includes(c.profile));
let failed = 0;
for (const check of checks) {
  try {
    await check.run();
    console.log(`  PASS [${check.profile}] ${check.name}`);
  } catch (error) {
    failed++;
    console.log(`  FAIL [${check.profile}] ${check.name}\n        ${(error as Error).message.split('\n').join('\n        ')}`);
  }
}
console.log(`${checks.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
