/** Request ids as the observers see them: a well-formed incoming one, or one made up here. */

/** Printable ASCII without spaces, quotes or separators, at most 128 characters: safe in logs and headers. */
const ID = /^[A-Za-z0-9._:\/+=@-]{1,128}$/;

export function wellFormedId(id: string | undefined): string | undefined {
  return id !== undefined && ID.test(id) ? id : undefined;
}

let counter = 0;
const prefix = `${process.pid.toString(36)}-`;

/** A made-up id: the process id and a counter, base 36 (unique across the workers of a machine). */
export function nextRequestId(): string {
  return prefix + (++counter).toString(36);
}
