// The test runner: jest-light-runner (test files in long-lived child processes, see jest.config.js)
// with a deadline per test file. Per-test timeouts are enforced inside the child
// (test/setup/test-timeouts.ts), but they cannot fire when the child is stuck outside a test — while
// importing a file, or with its event loop blocked — and then the whole run waits for CI's limit.
// Here the parent notices a file that has not reported after FILE_DEADLINE_MS, prints what the child
// was doing (its last test or hook, what its event loop waits for, native stacks from gdb, the
// database's active queries), and kills that child: the file fails with the reason, a new child
// takes the remaining files, and the run ends in minutes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRunner } from 'jest-light-runner';

const deadlineMs = Number(process.env.FILE_DEADLINE_MS ?? 5 * 60_000);
// Each child writes what it is running into this folder, one file per pid (test-timeouts.ts).
export const progressDir = join(tmpdir(), `tianfu-jest-${process.pid}`);
process.env.TEST_PROGRESS_DIR = progressDir;

export default class DeadlineRunner extends createRunner() {
  async runTests(tests, watcher, onStart, onResult, onFailure) {
    mkdirSync(progressDir, { recursive: true });
    const timers = new Map();
    const killed = new Set();
    const settle = (test) => {
      clearTimeout(timers.get(test.path));
      timers.delete(test.path);
    };
    // The pool reports a killed child as "Worker exited unexpectedly"; say why it was killed.
    const reason = (test, error) => (killed.has(test.path)
      ? { message: `Killed after missing its ${deadlineMs / 1000} s deadline: see "[deadline-runner]" above for what it was doing.`, stack: '' }
      : error);
    try {
      return await super.runTests(
        tests,
        watcher,
        (test) => {
          timers.set(test.path, setTimeout(() => { if (stalled(test.path)) killed.add(test.path); }, deadlineMs));
          return onStart(test);
        },
        (test, result) => (settle(test), onResult(test, result)),
        (test, error) => (settle(test), onFailure(test, reason(test, error))),
      );
    } finally {
      for (const timer of timers.values()) clearTimeout(timer);
      rmSync(progressDir, { recursive: true, force: true });
    }
  }
}

function stalled(testPath) {
  const children = childProgress();
  // The child running the file says so; a child that never reached its first file (still starting)
  // has written nothing.
  const claimed = children.filter((child) => child.progress.startsWith(testPath));
  const stuck = claimed.length ? claimed : children.filter((child) => child.progress === '');
  const say = (text) => process.stderr.write(`\n[deadline-runner] ${text}\n`);
  say(`${testPath} has not finished after ${deadlineMs / 1000} s.`);
  for (const child of stuck.length ? stuck : children) {
    say(`child ${child.pid} was at: ${child.progress || 'starting (it never began a file)'}`);
    // Only a child that loaded test-timeouts.ts answers SIGUSR2 (to any other it is fatal).
    if (child.progress) say(`its event loop waits for: ${waitingFor(child.pid)}`);
    say(`native stacks:\n${run('gdb', ['-p', String(child.pid), '-batch', '-ex', 'thread apply all bt 25'])}`);
  }
  say(`active queries:\n${run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-Atc',
    "SELECT datname, pid, state, wait_event_type, wait_event, now() - query_start, left(query, 200) FROM pg_stat_activity WHERE state <> 'idle' AND pid <> pg_backend_pid()"])}`);
  // Only the stuck child is killed: the pool then fails its file and starts another child.
  for (const child of stuck) process.kill(child.pid, 'SIGKILL');
  return stuck.length > 0;
}

/** This process's test children (tinypool's process entry) and what each wrote it was running. */
function childProgress() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && isTestChild(name))
    .map((name) => {
      const file = join(progressDir, name);
      return { pid: Number(name), progress: existsSync(file) ? readFileSync(file, 'utf8') : '' };
    });
}

function isTestChild(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return parent === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('tinypool');
  } catch {
    return false; // gone meanwhile
  }
}

// The child answers SIGUSR2 with <pid>.waiting (test-timeouts.ts).
function waitingFor(pid) {
  const answer = join(progressDir, `${pid}.waiting`);
  process.kill(pid, 'SIGUSR2');
  for (let tries = 0; tries < 50; tries++) {
    if (existsSync(answer)) return readFileSync(answer, 'utf8');
    execFileSync('sleep', ['0.1']);
  }
  return '(no answer within 5 s: its JavaScript thread is blocked)';
}

function run(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    return `(${command} failed: ${error.message.split('\n')[0]})`;
  }
}
