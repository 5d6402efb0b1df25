import { Injectable } from '@armature/core';
import { readDataset } from '../config.js';
import type { Item } from '../rules.js';

/** dataset.json, read once at start-up (HttpArena mounts it at /data/dataset.json). */
@Injectable()
export class Dataset {
  readonly items: readonly Item[] = readDataset();
}
