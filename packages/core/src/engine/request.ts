import type { Socket } from 'node:net';
import type { RequestBody } from '../http/body.js';
import { HeaderList } from '../http/headers.js';
import type { HttpRequest } from '../http/request.js';
import type { ParsedHead } from './parser.js';

/** A request read by the engine from a socket. */
export class EngineRequest implements HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly query: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  readonly body: RequestBody;
  readonly secure: boolean;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  private readonly socket: Socket;

  constructor(head: ParsedHead, body: RequestBody, socket: Socket, secure: boolean) {
    this.method = head.method;
    this.url = head.url;
    this.path = head.path;
    this.query = head.query;
    this.httpVersion = head.version;
    this.headers = new HeaderList(head.names, head.values);
    this.body = body;
    this.secure = secure;
    this.keepAlive = head.keepAlive;
    this.expectContinue = head.expectContinue;
    this.socket = socket;
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
}
