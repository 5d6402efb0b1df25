import { isToken } from './chars.js';
import { ParseError } from './errors.js';

const enum S { Size, SizeLF, Ext, Data, DataCR, DataLF, TrailerStart, Trailer, TrailerLF, FinalLF, Done }

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Decodes `Transfer-Encoding: chunked` content (RFC 9112 §7.1) incrementally: hex sizes,
 * chunk extensions, CRLF after data, trailer fields. Strict: bare LF, whitespace in sizes and
 * malformed trailers are rejected with 400; content past `maxBodySize` with 413.
 */
export class ChunkedDecoder {
  private state = S.Size;
  private size = 0;
  private sizeDigits = 0;
  private remaining = 0;
  private total = 0;
  private line = '';
  private lineBytes = 0;
  readonly trailers: string[] = [];
  private readonly maxBodySize: number;
  private readonly maxTrailerSize: number;

  constructor(maxBodySize: number, maxTrailerSize: number) {
    this.maxBodySize = maxBodySize;
    this.maxTrailerSize = maxTrailerSize;
  }

  get done(): boolean {
    return this.state === S.Done;
  }

  /**
   * Consumes bytes of `buf` from `pos`, handing data slices to `onData`. Returns the position
   * after the last consumed byte: the end of the buffer, or the end of the message when done.
   */
  feed(buf: Buffer, pos: number, onData: (chunk: Buffer) => void): number {
    const end = buf.length;
    while (pos < end) {
      switch (this.state) {
        case S.Data: {
          const n = Math.min(this.remaining, end - pos);
          onData(buf.subarray(pos, pos + n));
          pos += n;
          this.remaining -= n;
          if (this.remaining === 0) this.state = S.DataCR;
          continue;
        }
        case S.Size: {
          const c = buf[pos]!;
          const h = hexValue(c);
          if (h !== -1) {
            if (++this.sizeDigits > 12) throw new ParseError(413, 'Chunk size is too large');
            this.size = this.size * 16 + h;
          } else if (this.sizeDigits === 0) {
            throw new ParseError(400, 'Invalid chunk size');
          } else if (c === 13) {
            this.state = S.SizeLF;
          } else if (c === 59 /* ; */) {
            this.state = S.Ext;
          } else {
            throw new ParseError(400, 'Invalid chunk size');
          }
          pos++;
          continue;
        }
        case S.Ext: {
          const c = buf[pos]!;
          if (c === 13) this.state = S.SizeLF;
          else if ((c < 32 && c !== 9) || c === 127) throw new ParseError(400, 'Invalid character in chunk extension');
          pos++;
          continue;
        }
        case S.SizeLF: {
          if (buf[pos] !== 10) throw new ParseError(400, 'Chunk size line must end with CRLF');
          pos++;
          this.total += this.size;
          if (this.total > this.maxBodySize) throw new ParseError(413, `Request body is larger than the limit of ${this.maxBodySize} bytes`);
          if (this.size === 0) {
            this.state = S.TrailerStart;
          } else {
            this.remaining = this.size;
            this.state = S.Data;
          }
          this.size = 0;
          this.sizeDigits = 0;
          continue;
        }
        case S.DataCR:
          if (buf[pos] !== 13) throw new ParseError(400, 'Chunk data must be followed by CRLF');
          this.state = S.DataLF;
          pos++;
          continue;
        case S.DataLF:
          if (buf[pos] !== 10) throw new ParseError(400, 'Chunk data must be followed by CRLF');
          this.state = S.Size;
          pos++;
          continue;
        case S.TrailerStart: {
          if (buf[pos] === 13) {
            this.state = S.FinalLF;
            pos++;
            continue;
          }
          this.line = '';
          this.state = S.Trailer;
          continue;
        }
        case S.Trailer: {
          let i = pos;
          while (i < end && buf[i] !== 13) i++;
          this.lineBytes += i - pos;
          if (this.lineBytes > this.maxTrailerSize) throw new ParseError(431, 'Trailer fields are too large');
          this.line += buf.toString('latin1', pos, i);
          pos = i;
          if (i < end) {
            this.state = S.TrailerLF;
            pos++;
          }
          continue;
        }
        case S.TrailerLF: {
          if (buf[pos] !== 10) throw new ParseError(400, 'Trailer line must end with CRLF');
          pos++;
          this.checkTrailer(this.line);
          this.trailers.push(this.line);
          this.state = S.TrailerStart;
          continue;
        }
        case S.FinalLF:
          if (buf[pos] !== 10) throw new ParseError(400, 'Chunked body must end with CRLF');
          this.state = S.Done;
          return pos + 1;
        case S.Done:
          return pos;
      }
    }
    return pos;
  }

  private checkTrailer(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.slice(0, colon))) throw new ParseError(400, 'Invalid trailer field');
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(line)) throw new ParseError(400, 'Invalid character in trailer field');
  }
}
