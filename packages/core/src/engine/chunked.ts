import { isToken, TOKEN } from '../http/chars.js';
import { ParseError } from './errors.js';

const enum S {
  Size, SizeLF,
  // chunk-ext = *( ";" ext-name [ "=" ( token / quoted-string ) ] ), no whitespace (as llhttp strict)
  ExtName, ExtNameMore, ExtValue, ExtToken, ExtQuoted, ExtEscape, ExtAfterQuoted,
  Data, DataCR, DataLF, TrailerStart, Trailer, TrailerLF, FinalLF, Done,
}

/** Largest chunk size accepted before the body limit is even looked at: 12 hex digits. */
const MAX_CHUNK_SIZE = 0xffffffffffff;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Decodes `Transfer-Encoding: chunked` content (RFC 9112 §7.1) incrementally: hex sizes,
 * chunk extensions, CRLF after data, trailer fields. Strict: bare LF, whitespace in sizes,
 * malformed extensions and malformed trailers are rejected with 400; content past
 * `maxBodySize` with 413; trailer fields past `maxTrailerSize` bytes with 431. Chunk extensions
 * (and redundant leading zeros of sizes), which carry no data, are also limited to
 * `maxTrailerSize` bytes per message, with 413.
 */
export class ChunkedDecoder {
  private state = S.Size;
  private size = 0;
  private sizeDigits = 0;
  private extBytes = 0;
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
            if (this.size === 0 && this.sizeDigits > 0) this.countExtByte(); // a redundant leading zero
            this.sizeDigits++;
            this.size = this.size * 16 + h;
            if (this.size > MAX_CHUNK_SIZE) throw new ParseError(413, 'Chunk size is too large');
          } else if (this.sizeDigits === 0) {
            throw new ParseError(400, 'Invalid chunk size');
          } else if (c === 13) {
            this.state = S.SizeLF;
          } else if (c === 59 /* ; */) {
            this.state = S.ExtName;
          } else {
            throw new ParseError(400, 'Invalid chunk size');
          }
          pos++;
          continue;
        }
        case S.ExtName:
        case S.ExtNameMore:
        case S.ExtValue:
        case S.ExtToken:
        case S.ExtQuoted:
        case S.ExtEscape:
        case S.ExtAfterQuoted:
          this.countExtByte();
          this.state = this.extensionByte(buf[pos]!);
          pos++;
          continue;
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
          for (; i < end; i++) {
            const c = buf[i]!;
            if (c === 13) break;
            // controls other than HTAB, DEL, and a bare LF are rejected as soon as they arrive
            if ((c < 32 && c !== 9) || c === 127) throw new ParseError(400, 'Invalid character in trailer field');
          }
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

  private countExtByte(): void {
    if (++this.extBytes > this.maxTrailerSize) throw new ParseError(413, 'Chunk extensions are too large');
  }

  /** The state after one byte of a chunk extension (the ';' that starts it already consumed). */
  private extensionByte(c: number): S {
    switch (this.state) {
      case S.ExtName: // first character of a name
        if (TOKEN[c] === 1) return S.ExtNameMore;
        break;
      case S.ExtNameMore:
        if (TOKEN[c] === 1) return S.ExtNameMore;
        if (c === 61 /* = */) return S.ExtValue;
        if (c === 59 /* ; */) return S.ExtName;
        if (c === 13) return S.SizeLF;
        break;
      case S.ExtValue: // first character of a value
        if (TOKEN[c] === 1) return S.ExtToken;
        if (c === 34 /* " */) return S.ExtQuoted;
        break;
      case S.ExtToken:
        if (TOKEN[c] === 1) return S.ExtToken;
        if (c === 59) return S.ExtName;
        if (c === 13) return S.SizeLF;
        break;
      case S.ExtQuoted: // qdtext = HTAB / SP / VCHAR except '"' and '\' / obs-text
        if (c === 34) return S.ExtAfterQuoted;
        if (c === 92 /* \ */) return S.ExtEscape;
        if (c === 9 || (c >= 32 && c !== 127)) return S.ExtQuoted;
        break;
      case S.ExtEscape: // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (c === 9 || (c >= 32 && c !== 127)) return S.ExtQuoted;
        break;
      case S.ExtAfterQuoted:
        if (c === 59) return S.ExtName;
        if (c === 13) return S.SizeLF;
        break;
    }
    throw new ParseError(400, 'Invalid chunk extension');
  }

  private checkTrailer(line: string): void {
    const colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.slice(0, colon))) throw new ParseError(400, 'Invalid trailer field');
  }
}
