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
  private headerList: HeaderList | null = null;
  private readonly names: string[];
  private readonly values: string[];
  readonly body: RequestBody;
  readonly secure: boolean;
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  /** The request asks to switch protocols (see HttpRequest.upgrade); answered or taken over (EngineResponse.takeOver). */
  readonly upgrade: boolean;
  private readonly socket: Socket;

  constructor(head: ParsedHead, body: RequestBody, socket: Socket, secure: boolean) {
    this.method = head.method;
    this.url = head.url;
    this.path = head.path;
    this.query = head.query;
    this.httpVersion = head.version;
    this.names = head.names;
    this.values = head.values;
    this.body = body;
    this.secure = secure;
    this.keepAlive = head.keepAlive;
    this.expectContinue = head.expectContinue;
    this.upgrade = head.upgrade;
    this.socket = socket;
  }

  /** Header fields, case-insensitive (the lookup object is made on first use). */
  get headers(): HeaderList {
    return (this.headerList ??= new HeaderList(this.names, this.values));
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
}
