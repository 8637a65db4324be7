import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Exit code, or the signal name when Nest re-raised the signal after its shutdown hooks ran. */
  exited: Promise<number | string | null>;
}

/** Starts a built entry point (dist/src/…) as a real process; `npm test` builds first. */
export function startNode(script: string, env: Record<string, string>): Started {
  return startProcess(process.execPath, [join(ROOT, 'dist', 'src', script)], { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env });
}

/** Starts any program as a child process, collecting what it prints. */
export function startProcess(command: string, args: string[], env: Record<string, string> = { PATH: process.env.PATH ?? '' }): Started {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | string | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => out, exited };
}

/**
 * Polls until `check` returns a value (bounded by attempts, not by a timer assertion). When it
 * gives up, the error carries `context()` — e.g. what the process printed.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, attempts = 450, pauseMs = 100, context?: () => string): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  const detail = context ? `\n--- context ---\n${context().slice(-4000)}` : '';
  throw new Error(`condition not met after ${attempts} attempts${lastError ? `: ${String(lastError)}` : ''}${detail}`);
}

/** Where a started main.js listens, from its banner's "Listening on:" line (it may listen on PORT=0). */
export function listeningAt(started: Started): Promise<string> {
  return eventually(async () => /Listening on:\s+(http:\/\/\S+)/.exec(started.output())?.[1], 1800, 100, started.output);
}

export async function stop(started: Started): Promise<number | string | null> {
  if (started.child.exitCode === null) started.child.kill('SIGTERM');
  return started.exited;
}
