/** Static files: serveStatic (a directory), sendFile and download (one file from a handler). */
export { serveStatic, type ServeStaticOptions, type StaticHandler } from './serve-static.js';
export { sendFile, download, contentDisposition, type SendFileOptions, type PrecompressedCoding } from './send-file.js';
export type { DotfilesPolicy } from './resolve-path.js';
