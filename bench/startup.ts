/**
 * Time from the README's run command (`npm start`: build + start) to a healthy /health, for a
 * first start (empty data directory: PGlite initdb, migrations, demo seed) and later starts.
 *   npx tsx bench/startup.ts          (BENCH_RUNS later starts, default 3)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, stopProcess, table, waitForHealthy } from './support';

const PORT = 3911;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function timeStart(dataDir: string, label: string): Promise<Record<string, string | number>> {
  const started = process.hrtime.bigint();
  const child = startProcess('npm', ['start', '--silent'], { DATA_DIR: dataDir, PORT: String(PORT), LOG_LEVEL: 'warn' });
  try {
    await waitForHealthy(`http://127.0.0.1:${PORT}/health`);
    return { start: label, 'ms to healthy': Math.round(Number(process.hrtime.bigint() - started) / 1e6) };
  } finally {
    await stopProcess(child);
    // npm forwards SIGTERM to the node child; make sure the port is free before the next run
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tianfu-startup-'));
  try {
    const rows = [await timeStart(dataDir, 'first (empty ./data)')];
    for (let i = 1; i <= RUNS; i++) rows.push(await timeStart(dataDir, `later #${i}`));
    console.log('\nnpm start → healthy /health (includes `npm run build`, about 1 s with swc)\n');
    console.log(table(rows));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
