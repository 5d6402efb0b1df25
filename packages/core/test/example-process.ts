import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface ExampleProcess {
  child: ChildProcess;
  port: number;
  /** What the example has written to stderr so far. */
  stderr(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL if still running (for finally blocks). */
  kill(): void;
}

/**
 * Runs an example (`node --import tsx <file>`, from the repository root, with PORT=0) and
 * resolves once it prints `listening on http://host:port`.
 */
export async function startExample(file: string, env: Record<string, string> = {}): Promise<ExampleProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => {
    errors += d.toString();
  });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not start: ${out}${errors}`));
    }, 60_000); // generous: several apps may start at once on a busy machine
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}: ${out}${errors}`));
    });
  });
  return {
    child,
    port,
    stderr: () => errors,
    stop(signal = 'SIGTERM') {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill(signal);
      return exited;
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
