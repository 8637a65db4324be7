/**
 * Time from the README's run command to a healthy /health. `npm start` is `npm run build` followed
 * by `node dist/src/main.js`; both halves are timed here (spawning node directly, so the process
 * we stop is the server itself), for a first start (empty data directory: PGlite initdb,
 * migrations, demo seed) and later starts.
 *   npx tsx bench/startup.ts          (BENCH_RUNS later starts, default 3)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runBench, startListening, stopProcess, table, waitForHealthy } from './support';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timeStart(dataDir: string, label: string): Promise<Record<string, string | number>> {
  const started = process.hrtime.bigint();
  // A free port (PORT=0), read from the banner; PUBLIC_BASE_URL is then required (it goes into QR codes).
  const api = await startListening(process.execPath, ['dist/src/main.js'], { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_BASE_URL: 'http://localhost:3000' });
  try {
    await waitForHealthy(`${api.url}/health`);
    return { start: label, 'ms to healthy': Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
  } finally {
    await stopProcess(api.process);
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tianfu-startup-'));
  try {
    const buildStarted = process.hrtime.bigint();
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
    const buildMs = Math.round(Number(process.hrtime.bigint() - buildStarted) / 1e6);
    const rows = [await timeStart(dataDir, 'first (empty ./data)')];
    for (let i = 1; i <= RUNS; i++) rows.push(await timeStart(dataDir, `later #${i}`));
    for (const row of rows) row['+ build = npm start'] = Number(row['ms to healthy']) + buildMs;
    console.log(`\nnode dist/src/main.js → healthy /health; npm run build took ${buildMs} ms\n`);
    console.log(table(rows));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
