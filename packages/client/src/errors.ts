/** The error a call rejects with when the answer is not 2xx. */
export class ClientError extends Error {
  /** The answer's status. */
  readonly status: number;
  /** The parsed body: the RFC 9457 problem document for Armature's errors, else JSON, text or undefined. */
  readonly body: unknown;
  /** The answer itself (its body already read). */
  readonly response: Response;

  constructor(method: string, url: string, response: Response, body: unknown) {
    const problem = typeof body === 'object' && body !== null ? (body as { detail?: unknown; title?: unknown }) : {};
    const why = typeof problem.detail === 'string' ? problem.detail : typeof problem.title === 'string' ? problem.title : response.statusText;
    super(`${method} ${url}: ${response.status}${why ? ` ${why}` : ''}`);
    this.name = 'ClientError';
    this.status = response.status;
    this.body = body;
    this.response = response;
  }
}
