export { EngineServer, type EngineHandler, type ListenOptions, type CloseOptions } from './server.js';
export type { EngineRequest } from './engine-request.js';
export type { EngineResponse } from './engine-response.js';
export { type EngineOptions, resolveEngineOptions } from './options.js';
export { parseHead, type ParsedHead, type HeadLimits } from './parser.js';
export { ChunkedDecoder } from './chunked.js';
export { ParseError } from './errors.js';
export { STATUS_TEXT } from '../http/status.js';
