/**
 * Whole forms: fields collected (and validated with a Standard Schema, if given), files streamed
 * to temporary files on disk, never held in memory. Temporary files are removed when the upload
 * fails or is aborted, and by `cleanup()` (the `multipart()` middleware calls it after the
 * handler) unless the handler moved them away with `file.moveTo()`.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { validate, type Context, type InferOutput, type Middleware, type StandardSchemaV1 } from '@armature/core';
import type { MultipartLimits } from './limits.js';
import { readMultipart, type FileInfo } from './parse.js';

export interface UploadedFile extends FileInfo {
  /** Where the file is now (a temporary file until moved). */
  readonly path: string;
  /** Bytes. */
  readonly size: number;
  /** Moves the file out of the temporary directory; it is then yours and not cleaned up. */
  moveTo(destination: string): Promise<void>;
}

export type FieldValues = Record<string, string | string[]>;

export interface MultipartForm<F = FieldValues> {
  /** Non-file fields (a repeated name becomes an array), or the fields schema's output. */
  readonly fields: F;
  /** Every uploaded file, in the order received (parts sent without a file name are skipped). */
  readonly files: readonly UploadedFile[];
  /** The first file of a field. */
  file(field: string): UploadedFile | undefined;
  /** Removes the temporary files not moved away. */
  cleanup(): Promise<void>;
}

export interface MultipartOptions<S extends StandardSchemaV1 | undefined = undefined> {
  limits?: MultipartLimits;
  /** Where temporary files go (default the OS temporary directory). */
  tmpdir?: string;
  /** A Standard Schema (Zod, Valibot, …) for the fields: its output replaces `fields`; issues are a 400. */
  fields?: S;
}

type Fields<S> = S extends StandardSchemaV1 ? InferOutput<S> : FieldValues;

class DiskFile implements UploadedFile {
  moved = false;
  constructor(
    readonly field: string,
    readonly filename: string,
    readonly mimeType: string,
    readonly encoding: string,
    public path: string,
    public size: number,
  ) {}

  async moveTo(destination: string): Promise<void> {
    await mkdir(dirname(destination), { recursive: true });
    try {
      await rename(this.path, destination);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await copyFile(this.path, destination); // another file system
      await rm(this.path, { force: true });
    }
    this.path = destination;
    this.moved = true;
  }
}

function addField(fields: FieldValues, name: string, value: string): void {
  const prev = fields[name];
  if (prev === undefined) fields[name] = value;
  else if (typeof prev === 'string') fields[name] = [prev, value];
  else prev.push(value);
}

const tempName = () => `armature-upload-${randomBytes(12).toString('hex')}`;

/**
 * Reads the whole form: fields in memory (bounded by the limits), files to temporary files.
 * Call `form.cleanup()` when done, or use the `multipart()` middleware, which does.
 */
export async function parseMultipart<S extends StandardSchemaV1 | undefined = undefined>(ctx: Context, options: MultipartOptions<S> = {}): Promise<MultipartForm<Fields<S>>> {
  const dir = options.tmpdir ?? tmpdir();
  const fields: FieldValues = Object.create(null) as FieldValues;
  const files: DiskFile[] = [];
  const written = new Set<string>();
  const cleanup = async (): Promise<void> => {
    await Promise.all([...written].map((path) => rm(path, { force: true })));
    written.clear();
  };
  try {
    await readMultipart(ctx, options.limits, {
      field: (name, value) => addField(fields, name, value),
      async file(info, stream: Readable) {
        const path = join(dir, tempName());
        written.add(path);
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        await pipeline(stream, createWriteStream(path, { flags: 'wx' }));
        // a part without a file name (an empty file input) is no file
        if (info.filename === '' && size === 0) {
          written.delete(path);
          await rm(path, { force: true });
          return;
        }
        files.push(new DiskFile(info.field, info.filename, info.mimeType, info.encoding, path, size));
      },
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  let out: unknown = fields;
  if (options.fields !== undefined) {
    try {
      out = await validate(options.fields, { ...fields }, 'body');
    } catch (error) {
      await cleanup();
      throw error;
    }
  }
  return {
    fields: out as Fields<S>,
    files,
    file: (field) => files.find((f) => f.field === field),
    cleanup: async () => {
      for (const f of files) if (f.moved) written.delete(f.path);
      await cleanup();
    },
  };
}

declare module '@armature/core' {
  interface ContextState {
    /** The parsed form (the multipart() middleware). */
    multipart?: MultipartForm<unknown>;
  }
}

/**
 * Parses the form before the handler runs (into `ctx.state.multipart`, or `multipartForm(ctx)`),
 * and removes the temporary files the handler did not move once it has answered.
 */
export function multipart<S extends StandardSchemaV1 | undefined = undefined>(options: MultipartOptions<S> = {}): Middleware {
  return async (ctx, next) => {
    const form = await parseMultipart(ctx, options);
    ctx.state.multipart = form as MultipartForm<unknown>;
    try {
      return await next();
    } finally {
      await form.cleanup();
    }
  };
}

/** The form the multipart() middleware parsed for this request. */
export function multipartForm<F = FieldValues>(ctx: Context): MultipartForm<F> {
  const form = ctx.state.multipart;
  if (form === undefined) throw new Error('multipartForm(ctx): no form was parsed; add the multipart() middleware to this route');
  return form as MultipartForm<F>;
}

/**
 * The multipart() middleware as an interceptor for controllers:
 * `@UseInterceptors(uploads({ limits: { fileSize: 5e6 } }))` on a route method, then
 * `multipartForm(ctx)` in it (NestJS's FileInterceptor / @UploadedFile, Armature's way).
 */
export function uploads<S extends StandardSchemaV1 | undefined = undefined>(options: MultipartOptions<S> = {}): { intercept(ctx: Context, next: () => unknown): unknown } {
  const middleware = multipart(options);
  return { intercept: (ctx, next) => middleware(ctx, next) };
}
