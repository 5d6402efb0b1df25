import { STATUS_TEXT } from './status.js';

export const PROBLEM_TYPE = 'application/problem+json';

/** An RFC 9457 problem document as JSON text. */
export function problemJson(status: number, detail?: string, extra?: Record<string, unknown>): string {
  const doc: Record<string, unknown> = { type: 'about:blank', title: STATUS_TEXT[status] ?? 'Error', status };
  if (detail !== undefined && detail !== '') doc.detail = detail;
  if (extra !== undefined) Object.assign(doc, extra);
  return JSON.stringify(doc);
}
