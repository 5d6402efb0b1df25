/**
 * The HTTP/1.1 engine alone (the `@armature/core/engine` subpath), for servers and benchmarks that
 * do without the app: the server, its request and response, options, the head parser and the
 * chunked decoder. Status texts and the rest of the HTTP vocabulary are in `@armature/core/http`.
 */
export { EngineServer, type EngineHandler, type EngineStats, type ListenOptions, type CloseOptions } from './server.js';
export type { Http2Listener } from './http2.js';
export type { BufferStats } from './buffer-pool.js';
export type { EngineRequest } from './engine-request.js';
export type { EngineResponse } from './engine-response.js';
export { type EngineOptions, type PressureOptions, resolveEngineOptions } from './options.js';
export { parseHead, type ParsedHead, type HeadLimits } from './parser.js';
export { ChunkedDecoder } from './chunked.js';
export { ParseError } from './errors.js';
