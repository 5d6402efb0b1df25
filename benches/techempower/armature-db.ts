// The former Armature database app: armature.ts now serves all seven test types. This name is
// kept for what starts it by path (FRAMEWORK=armature-db, benches/flame.mjs).
import { serveTfbApp } from './armature.js';

await serveTfbApp();
