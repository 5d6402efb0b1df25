// Starts the NestJS app (./nestjs/). NestJS needs legacy decorators (experimentalDecorators),
// while this repository uses standard ones: the app is loaded here through tsx with its own
// tsconfig.json, which tsx applies to the files of that folder. So `node --import tsx
// benches/techempower/nestjs.ts` and `FRAMEWORK=nestjs npm run tfb` both work, from any directory.
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

await tsImport('./nestjs/main.ts', {
  parentURL: import.meta.url,
  tsconfig: fileURLToPath(new URL('./nestjs/tsconfig.json', import.meta.url)),
});
