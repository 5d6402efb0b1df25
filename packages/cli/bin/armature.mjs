#!/usr/bin/env node
// The armature command (@armature/cli): `armature --help`.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
