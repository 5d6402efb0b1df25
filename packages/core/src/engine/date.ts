/**
 * The `Date` header line, formatted once a second rather than per response.
 * The timer is unref'd so it never keeps the process alive.
 */
let line = '';
let timer: NodeJS.Timeout | undefined;

function refresh(): void {
  line = `Date: ${new Date().toUTCString()}\r\n`;
}

/** `Date: <IMF-fixdate>\r\n`, at most one second old. */
export function dateLine(): string {
  if (timer === undefined) {
    refresh();
    // align refreshes with wall-clock second boundaries
    const first = setTimeout(() => {
      refresh();
      timer = setInterval(refresh, 1000);
      timer.unref();
    }, 1000 - (Date.now() % 1000));
    first.unref();
    timer = first;
  }
  return line;
}
