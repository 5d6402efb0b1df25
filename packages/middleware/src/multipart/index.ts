/** Uploads (`multipart/form-data`): whole forms to disk, or parts one at a time as streams. */
export { parseMultipart, multipart, multipartForm, uploads, type MultipartForm, type MultipartOptions, type UploadedFile, type FieldValues } from './form.js';
export { multipartParts, type MultipartPart } from './parts.js';
export { DEFAULT_LIMITS, type MultipartLimits } from './limits.js';
export type { FileInfo } from './parse.js';
