/**
 * The last response head the engine built, kept so that the next response with the same status,
 * header fields and Content-Length is not assembled again: a server answers most requests of a
 * route with the same fields (a content type, CORS or security headers), and building a head is
 * a dozen string concatenations. One entry per server; what it holds is the part of the head up
 * to and including the Date line (the Connection / Keep-Alive lines depend on the connection and
 * are added per response), valid for the second its Date line was formatted in.
 */
export class HeadCache {
  private status = 0;
  private length = -1;
  /** The response's fields when the entry was made (a copy: the flat name/name/value triples). */
  private fields: string[] = [];
  /** The Date line the entry was built with (the same string until the next second). */
  private date = '';
  /** Status line, fields, Content-Length, Server and Date lines. */
  private prefix = '';
  /** The keep-alive line last appended to `prefix`, and that whole head. */
  private keepAliveLine: string | null = null;
  private keepAliveHead = '';

  /** The cached prefix for a response with these parts, or null. */
  prefixFor(status: number, fields: readonly string[], length: number, date: string): string | null {
    if (status !== this.status || length !== this.length || date !== this.date) return null;
    const cached = this.fields;
    if (fields.length !== cached.length) return null;
    for (let i = 0; i < cached.length; i++) if (fields[i] !== cached[i]) return null;
    return this.prefix;
  }

  /** The head for a kept HTTP/1.1 connection: the prefix with `keepAliveLine` and the blank line. */
  keepAliveHeadFor(keepAliveLine: string): string {
    if (keepAliveLine !== this.keepAliveLine) {
      this.keepAliveLine = keepAliveLine;
      this.keepAliveHead = this.prefix + keepAliveLine + '\r\n';
    }
    return this.keepAliveHead;
  }

  /**
   * Keeps `prefix`, built for these parts. Only heads of fields the engine writes as given (no
   * Connection, Date, Server, Content-Length or Transfer-Encoding field) are offered.
   */
  store(status: number, fields: readonly string[], length: number, date: string, prefix: string): void {
    this.status = status;
    this.length = length;
    this.date = date;
    this.fields = fields.slice();
    this.prefix = prefix;
    this.keepAliveLine = null;
  }
}
