import { Injectable, type PipeTransform } from '@nestjs/common';
import { parseCount } from '../shared.js';

/** TechEmpower's count parameter (`queries`, `count`): clamped to 1..500, missing or not a number → 1. */
@Injectable()
export class CountPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    return parseCount(value);
  }
}
