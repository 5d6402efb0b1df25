/**
 * Reads a `multipart/form-data` body with `@fastify/busboy` (measured several times faster than
 * `busboy` on large files: benches/README.md, "Uploads"), streaming: fields are collected, each file is
 * handed on as a stream as it arrives. Every limit stops the upload at once with a 413 naming it;
 * a malformed body or boundary is 400. The request body comes through `ctx.stream()`, so the
 * route's body limit and `Content-Encoding` decoding apply.
 */
import type { Readable } from 'node:stream';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { BadRequestException, HttpError, UnsupportedMediaTypeException, type Context } from '@armature/core';
import { limitHit, resolveLimits, type MultipartLimits, type ResolvedLimits } from './limits.js';

export interface FileInfo {
  /** The form field's name. */
  readonly field: string;
  /** The client's file name, reduced to its last path segment (never a path); '' when none was sent. */
  readonly filename: string;
  readonly mimeType: string;
  readonly encoding: string;
}

export interface PartHandlers {
  field(name: string, value: string): void;
  /** A file part: consume `stream` (or `resume()` it); return a promise that settles when done. */
  file(info: FileInfo, stream: Readable): Promise<void>;
}

/** Keeps only the last segment of a client's file name and drops control characters. */
export function safeFilename(name: string | undefined): string {
  if (name === undefined) return '';
  const last = name.split(/[\\/]/).pop() ?? '';
  return last.replace(/[\x00-\x1f\x7f]/g, '').slice(0, 255);
}

const MULTIPART = /^multipart\/form-data\s*(;|$)/i;

/**
 * Drives busboy over the request body, calling `handlers` for each part; resolves once every part
 * is read and every file handler has finished. On the first failure (a limit, a malformed body, a
 * client that went away, a handler that threw) the body is no longer read, running file streams
 * are destroyed, and the promise rejects once every file handler has settled.
 */
export function readMultipart(ctx: Context, limitsOption: MultipartLimits | undefined, handlers: PartHandlers): Promise<void> {
  const limits: ResolvedLimits = resolveLimits(limitsOption);
  const contentType = ctx.req.headers.get('content-type') ?? '';
  if (!MULTIPART.test(contentType)) {
    throw new UnsupportedMediaTypeException(`Expected multipart/form-data, got ${contentType === '' ? 'no Content-Type' : 'another Content-Type'}`);
  }
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { 'content-type': contentType },
      limits: {
        fileSize: limits.fileSize,
        files: limits.files,
        fields: limits.fields,
        fieldSize: limits.fieldSize,
        fieldNameSize: limits.fieldNameSize,
        parts: limits.parts,
        headerPairs: limits.headerPairs,
      },
      defCharset: 'utf8',
    });
  } catch {
    throw new BadRequestException('Malformed multipart/form-data Content-Type: it needs a boundary parameter');
  }
  let input: Readable;
  try {
    input = ctx.stream(limits.totalSize === undefined ? undefined : { limit: limits.totalSize });
  } catch (error) {
    throw tooLarge(error, limits);
  }

  return new Promise<void>((resolve, reject) => {
    let failure: unknown = null;
    let parsed = false;
    const pending = new Set<Promise<void>>();
    const streams = new Set<Readable>();

    const settle = (): void => {
      if (failure === null && !parsed) return;
      if (pending.size > 0) return;
      if (failure !== null) reject(failure);
      else resolve();
    };
    const fail = (error: unknown): void => {
      if (failure !== null) return;
      failure = error;
      input.unpipe(parser);
      input.destroy();
      parser.removeAllListeners('file');
      parser.removeAllListeners('field');
      for (const s of streams) s.destroy(error instanceof Error ? error : undefined);
      settle();
    };

    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (failure !== null) return;
      if (nameTruncated) return fail(limitHit('fieldNameSize', limits));
      if (valueTruncated) return fail(limitHit('fieldSize', limits));
      try {
        handlers.field(name, value);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, filename, encoding, mimeType) => {
      if (failure !== null) {
        stream.resume();
        return;
      }
      if (name.length > limits.fieldNameSize) {
        stream.resume();
        return fail(limitHit('fieldNameSize', limits));
      }
      streams.add(stream);
      stream.once('limit', () => fail(limitHit('fileSize', limits)));
      let done: Promise<void>;
      try {
        done = handlers.file({ field: name, filename: safeFilename(filename), mimeType, encoding }, stream);
      } catch (error) {
        done = Promise.reject(error);
      }
      const tracked = done.then(
        () => undefined,
        (error: unknown) => fail(error),
      ).finally(() => {
        streams.delete(stream);
        pending.delete(tracked);
        settle();
      });
      pending.add(tracked);
    });
    parser.on('partsLimit', () => fail(limitHit('parts', limits)));
    parser.on('filesLimit', () => fail(limitHit('files', limits)));
    parser.on('fieldsLimit', () => fail(limitHit('fields', limits)));
    parser.on('error', (error: unknown) => fail(new BadRequestException(`Malformed multipart/form-data body: ${error instanceof Error ? error.message : String(error)}`)));
    parser.on('finish', () => {
      parsed = true;
      settle();
    });
    input.on('error', (error: unknown) => {
      fail(error instanceof HttpError ? tooLarge(error, limits) : new BadRequestException('The upload was cut off before its end'));
    });
    input.pipe(parser);
  });
}

/** The body-size refusal, named as the totalSize limit when that is the limit in force. */
function tooLarge(error: unknown, limits: ResolvedLimits): unknown {
  return error instanceof HttpError && error.status === 413 && limits.totalSize !== undefined ? limitHit('totalSize', limits) : error;
}
