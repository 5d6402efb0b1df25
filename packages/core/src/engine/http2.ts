/**
 * HTTP/2 beside the engine's HTTP/1.1 connections, through node:http2: sockets that chose 'h2' by
 * ALPN (HTTPS), or that open with the HTTP/2 connection preface (h2c, cleartext with prior
 * knowledge), become node:http2 sessions of one server that never listens itself. Their requests
 * reach a node:http2-style listener (the app's node listener). This module keeps the engine's
 * promises for them: limits mapped to HTTP/2 settings, the request timeout, the idle timeout, the
 * connection limit, and graceful shutdown (GOAWAY, streams in flight finish, the deadline
 * destroys what is left).
 */
import { Buffer } from 'node:buffer';
import http2 from 'node:http2';
import type net from 'node:net';
import { PROBLEM_TYPE, problemJson } from '../http/problem.js';
import type { ResolvedEngineOptions } from './options.js';

/** A node:http2 compatibility-API request listener (what `app.nodeListener()` returns). */
export type Http2Listener = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void;

/** What the sessions need from the engine server. */
export interface Http2Host {
  readonly options: ResolvedEngineOptions;
  readonly closing: boolean;
  /** Serves a socket that turned out to speak HTTP/1.1 (h2c port). */
  serveHttp1(socket: net.Socket): void;
  /** A session or a socket being peeked at closed. */
  http2Closed(): void;
}

/** The HTTP/2 connection preface (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** Field-section overhead per field in HTTP/2's SETTINGS_MAX_HEADER_LIST_SIZE accounting (RFC 9113 §6.5.2). */
const FIELD_OVERHEAD = 32;

export class Http2Sessions {
  private readonly host: Http2Host;
  private readonly server: http2.Http2Server;
  readonly sessions = new Set<http2.ServerHttp2Session>();
  /** h2c: sockets whose first bytes have not yet told HTTP/2 from HTTP/1.1. */
  private readonly peeking = new Set<net.Socket>();

  constructor(host: Http2Host, listener: Http2Listener) {
    this.host = host;
    const o = host.options;
    const maxUri = o.maxUriLength;
    const timeout = o.requestTimeout;
    // the request timeout: a stream without activity for requestTimeout before its response
    // head is sent gets 503 (a node:http2 stream timer, cleared when the stream closes; a
    // map of waiting requests checked by the sweep kept every request alive until the next
    // sweep and cost more)
    const timedOut = (res: http2.Http2ServerResponse): void => {
      if (res.headersSent || res.stream.destroyed) return;
      const req = res.req;
      o.onError(new Error(`Request ${req.method} ${req.url} timed out after ${timeout} ms`));
      this.refuse(res, 503, 'The request was not answered in time');
    };
    this.server = http2.createServer(
      {
        // the engine's head limits, in HTTP/2's terms: the header list (names, values and 32
        // bytes a field, pseudo-fields included) and the number of fields
        maxHeaderListPairs: o.maxHeaderCount + 4,
        settings: {
          maxConcurrentStreams: o.maxConcurrentStreams,
          maxHeaderListSize: o.maxHeaderSize + FIELD_OVERHEAD * (o.maxHeaderCount + 4),
        },
      },
      (req, res) => {
        if ((req.url ?? '').length > maxUri) {
          this.refuse(res, 414, 'Request target is too long');
          return;
        }
        if (timeout > 0) res.setTimeout(timeout, () => timedOut(res));
        listener(req, res);
      },
    );
    this.server.on('session', (session) => this.track(session));
    // protocol errors of one session or stream (a bad frame, a reset) end that session or
    // stream, answered by node:http2 with GOAWAY or RST_STREAM; other clients are unaffected
    this.server.on('sessionError', () => {});
  }

  /** Open sessions and sockets being peeked at, for the connection limit. */
  get count(): number {
    return this.sessions.size + this.peeking.size;
  }

  /** A socket that speaks HTTP/2 from its first byte (ALPN 'h2', or the preface seen). */
  serve(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.server.emit('connection', socket);
  }

  /**
   * h2c: reads until the first bytes are the connection preface (HTTP/2) or are not (HTTP/1.1),
   * puts them back, and serves the socket accordingly. A socket that sends nothing within
   * headersTimeout is closed.
   */
  peek(socket: net.Socket): void {
    const peeking = this.peeking;
    peeking.add(socket);
    let got: Buffer | null = null;
    const decide = (h2: boolean): void => {
      socket.off('data', onData);
      socket.off('end', onGone);
      socket.off('error', onGone);
      socket.off('timeout', onGone);
      socket.setTimeout(0);
      socket.pause();
      if (got !== null) socket.unshift(got);
      peeking.delete(socket);
      if (this.host.closing) socket.destroy();
      else if (h2) this.serve(socket);
      else {
        this.host.serveHttp1(socket);
        socket.resume();
      }
      if (socket.destroyed) this.host.http2Closed();
    };
    const onData = (chunk: Buffer): void => {
      got = got === null ? chunk : Buffer.concat([got, chunk]);
      const n = Math.min(got.length, PREFACE.length);
      if (got.compare(PREFACE, 0, n, 0, n) !== 0) decide(false);
      else if (n === PREFACE.length) decide(true);
    };
    const onGone = (): void => {
      socket.destroy();
    };
    socket.on('data', onData);
    socket.on('end', onGone);
    socket.on('error', onGone);
    socket.on('timeout', onGone);
    socket.once('close', () => {
      if (peeking.delete(socket)) this.host.http2Closed();
    });
    socket.setTimeout(this.host.options.headersTimeout);
  }

  private track(session: http2.ServerHttp2Session): void {
    this.sessions.add(session);
    session.once('close', () => {
      this.sessions.delete(session);
      this.host.http2Closed();
    });
    // idle sessions close (GOAWAY) after keepAliveTimeout, as idle HTTP/1.1 connections do
    session.setTimeout(this.host.options.keepAliveTimeout, () => session.close());
    if (this.host.closing) session.close();
  }

  /** An answer of the engine's own (problem+json), ending the stream only. */
  private refuse(res: http2.Http2ServerResponse, status: number, detail: string): void {
    const text = problemJson(status, detail);
    res.writeHead(status, { ...this.host.options.refusalHeaders, 'content-type': PROBLEM_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** Graceful shutdown: GOAWAY to every session (streams in flight finish), peeked sockets closed. */
  shutdown(): void {
    for (const session of this.sessions) session.close();
    for (const socket of this.peeking) socket.destroy();
  }

  /** close()'s deadline: what is left is destroyed. */
  destroy(): void {
    for (const session of this.sessions) session.destroy();
    for (const socket of this.peeking) socket.destroy();
  }
}
