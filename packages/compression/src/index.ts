/**
 * @armature/compression: response compression (zstd where the runtime has it, br, gzip,
 * deflate) for Armature apps — `app.use(compression())`, or `CompressionModule.forRoot()` in a
 * DI app. See docs/compression.md.
 */
export { compression, applySettings } from './middleware.js';
export { resolveSettings, type CompressionOptions, type Settings } from './settings.js';
export { CompressedCache, type CacheOptions } from './cache.js';
export { Negotiator, type Negotiated } from './negotiate.js';
export { isCompressible } from './compressible.js';
export { codings, zstdAvailable, encoderFor, type CodingName, type Encoder } from './codings.js';
export { ResponseEncoding } from './encode-response.js';
export { CompressionModule, COMPRESSION_OPTIONS, Compress } from './module.js';
