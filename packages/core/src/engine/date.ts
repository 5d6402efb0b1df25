/**
 * The `Date` header line, formatted once a second rather than per response.
 *
 * Each refresh formats the current second and schedules the next one just past the following
 * wall-clock second boundary (a chain of timeouts, not an interval, so it never drifts; a timer
 * that fires a little early only formats the same second again and re-arms a few ms later).
 * The timer is unref'd so it never keeps the process alive.
 */
let line = '';
let timer: NodeJS.Timeout | undefined;

function refresh(): void {
  const now = Date.now();
  line = `Date: ${new Date(now).toUTCString()}\r\n`;
  timer = setTimeout(refresh, 1001 - (now % 1000));
  timer.unref();
}

/** `Date: <IMF-fixdate>\r\n`, at most one second old. */
export function dateLine(): string {
  if (timer === undefined) refresh();
  return line;
}
