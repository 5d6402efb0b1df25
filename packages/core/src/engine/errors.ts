/** An error found while parsing a request: answered with `status` and the connection is closed. */
export class ParseError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ParseError';
    this.status = status;
  }
}
