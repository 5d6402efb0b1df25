import { readFileSync } from 'node:fs';
import { Injectable } from '@armature/core';
import { datasetPath } from '../config.js';
import type { Item } from '../rules.js';

/** dataset.json, read once at start-up (HttpArena mounts it at /data/dataset.json). */
@Injectable()
export class Dataset {
  readonly items: readonly Item[] = JSON.parse(readFileSync(datasetPath(), 'utf8')) as Item[];
}
