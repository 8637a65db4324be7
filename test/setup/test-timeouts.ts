/**
 * Jest's per-test timeout, which the runner (jest-light-runner) does not enforce: a test or hook that
 * has not settled after its timeout fails with the same message Jest gives, instead of holding the
 * whole run until CI's limit. The timeout is the test's own third argument, else `testTimeout` from
 * jest.config.js (passed in TEST_TIMEOUT_MS), else 60 s; `jest.setTimeout(ms)` sets it for the rest of the
 * file that calls it, as in Jest.
 *
 * Loaded once per worker (setupFilesAfterEnv), before any test file: it wraps the globals the test
 * files call (`it`, `test`, their `.only`/`.skip`/`.each` forms, and the four hooks).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Fn = (...args: unknown[]) => unknown;

const defaultMs = Number(process.env.TEST_TIMEOUT_MS ?? 60_000);
let fileTimeout: { testPath: string | undefined; ms: number } | undefined;

(globalThis as unknown as { jest: Record<string, unknown> }).jest.setTimeout = (ms: number) => {
  fileTimeout = { testPath: expect.getState().testPath, ms };
};

function timeoutFor(ms: number | undefined): number {
  if (ms !== undefined) return ms;
  return fileTimeout && fileTimeout.testPath === expect.getState().testPath ? fileTimeout.ms : defaultMs;
}

/**
 * What this child is running, for the parent's per-file deadline (test/setup/deadline-runner.mjs):
 * one line in TEST_PROGRESS_DIR/<pid>, starting with the test file's path; on SIGUSR2 it also writes
 * <pid>.waiting, what its event loop waits for.
 */
const progressDir = process.env.TEST_PROGRESS_DIR;
function progress(what: string): void {
  if (!progressDir) return;
  try {
    writeFileSync(join(progressDir, String(process.pid)), `${expect.getState().testPath} — ${what} since ${new Date().toISOString()}`);
  } catch {
    // the parent removed the folder at the end of the run
  }
}
if (progressDir) {
  // The runner sets the file's path before importing it: a file stuck while loading shows as such.
  const setState = expect.setState.bind(expect);
  expect.setState = (state: Record<string, unknown>) => {
    setState(state);
    if (state.testPath) progress('loading the file');
  };
  // Asked by the parent when a file is late: what the event loop still waits for (no answer at all
  // means the JavaScript thread is blocked).
  process.on('SIGUSR2', () => {
    const counts = new Map<string, number>();
    for (const resource of process.getActiveResourcesInfo()) counts.set(resource, (counts.get(resource) ?? 0) + 1);
    writeFileSync(join(progressDir, `${process.pid}.waiting`), [...counts].map(([kind, n]) => `${kind} ×${n}`).join(', '));
  });
}

function withTimeout(fn: Fn | undefined, ms: number | undefined, what: string, name?: unknown): Fn | undefined {
  if (typeof fn !== 'function') return fn;
  const call = (): Promise<unknown> => fn.length >= 1
    ? new Promise((resolve, reject) => fn((error?: unknown) => (error ? reject(error) : resolve(undefined))))
    : Promise.resolve().then(() => fn());
  return () => {
    progress(name === undefined ? what : `${what}: ${String(name)}`);
    const limit = timeoutFor(ms);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Exceeded timeout of ${limit} ms for ${what}.`)), limit);
    });
    return Promise.race([call(), expired]).finally(() => clearTimeout(timer));
  };
}

function wrapTest(original: Fn & Record<string, unknown>): Fn {
  const wrapped = ((name: unknown, fn?: Fn, ms?: number) => original(name, withTimeout(fn, ms, 'a test', name), ms)) as unknown as Fn & Record<string, unknown>;
  for (const key of ['only', 'skip', 'todo', 'concurrent', 'failing']) {
    if (original[key] !== undefined) wrapped[key] = original[key];
  }
  if (typeof original.only === 'function') wrapped.only = ((name: unknown, fn?: Fn, ms?: number) => (original.only as Fn)(name, withTimeout(fn, ms, 'a test', name), ms)) as Fn;
  // `it.each(table)(name, fn, ms)`: the test function gets the row's values, so it is wrapped per row.
  wrapped.each = (...table: unknown[]) => {
    const define = (original.each as Fn)(...table) as Fn;
    return ((name: unknown, fn: Fn, ms?: number) => define(name, (...row: unknown[]) => withTimeout(() => fn(...row), ms, 'a test', name)!(), ms)) as Fn;
  };
  return wrapped;
}

function wrapHook(original: Fn, hook: string): Fn {
  return ((fn: Fn, ms?: number) => original(withTimeout(fn, ms, 'a hook', hook), ms)) as Fn;
}

const g = globalThis as unknown as Record<string, Fn & Record<string, unknown>>;
g.it = wrapTest(g.it) as typeof g.it;
g.test = wrapTest(g.test) as typeof g.test;
for (const hook of ['beforeAll', 'afterAll', 'beforeEach', 'afterEach']) g[hook] = wrapHook(g[hook], hook) as (typeof g)[string];
