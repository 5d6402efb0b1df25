import { Controller, Post, type Ctx } from '@armature/core';
import { UPLOAD_LIMIT } from '../config.js';

/** upload: the number of bytes read from the body, streamed (nothing held but the count). */
@Controller()
export class UploadController {
  @Post('/upload', { bodyLimit: UPLOAD_LIMIT })
  async count(ctx: Ctx) {
    let bytes = 0;
    for await (const chunk of ctx.stream()) bytes += (chunk as Buffer).length;
    return String(bytes);
  }
}
