// Process plumbing of the TechEmpower apps: where to listen (PORT, default 8080; HOST, default
// 127.0.0.1), the start-up line (`<name> tfb listening on http://host:port`, which the tests
// read to find a port chosen with PORT=0) and a clean exit on SIGTERM / SIGINT.

export const listenPort = (): number => Number(process.env.PORT ?? 8080);
export const listenHost = (): string => process.env.HOST ?? '127.0.0.1';

export function announce(name: string, port: number, host: string = listenHost()): void {
  console.log(`${name} tfb listening on http://${host}:${port}`);
}

/**
 * On the first SIGTERM or SIGINT: `close()` (stop accepting, let requests finish, end the pool),
 * then exit 0, or 1 if it failed or took longer than `timeoutMs`.
 */
export function closeOnSignals(close: () => Promise<unknown>, timeoutMs = 5000): void {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const onSignal = (): void => {
    for (const s of signals) process.removeListener(s, onSignal);
    setTimeout(() => process.exit(1), timeoutMs).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error);
        process.exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
}

/** `server.close()` as a promise: stops accepting, resolves once open connections have ended. */
export function closeServer(server: { close(callback: (error?: Error) => void): unknown }): Promise<void> {
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
