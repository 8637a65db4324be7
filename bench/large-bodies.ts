/**
 * Large unauthenticated bodies (issue 13, item 4): the API's memory and the public pages' latency
 * while 48 clients post 60 MB bodies without a token, back to back — half EPCIS captures
 * (application/ld+json with Content-Length), half CSV uploads (text/csv, chunked).
 *   npm run build && npx tsx bench/large-bodies.ts        (needs PostgreSQL on 127.0.0.1:5432)
 * Settings: BENCH_DURATION (s, default 10), BENCH_ATTACKERS (48), BENCH_BODY_MB (60), BENCH_CONNECTIONS (20).
 * Target: RSS grows < 100 MB, /t/{code} p99 as without the attack. The API is pinned to core 0,
 * the load generator (this process) to core 1; the attackers run in a child process on core 1 at
 * the lowest priority, so that they take CPU from neither the API nor the load generator's figures.
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { demoBatch, loadTest, pin, ROOT, runBench, table, withApi } from './support';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ATTACKERS = Number(process.env.BENCH_ATTACKERS ?? 48);
const BODY_BYTES = Number(process.env.BENCH_BODY_MB ?? 60) * 1024 * 1024;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const CHUNK = Buffer.alloc(1024 * 1024, 'x');

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

interface AttackTally {
  posts: number;
  bytesSent: number;
  statuses: Record<string, number>;
}

/** One 60 MB post without a token; resolves when the server has answered (or dropped it). */
function post(base: URL, kind: 'epcis' | 'csv', tally: AttackTally): Promise<void> {
  return new Promise((resolve) => {
    const epcis = kind === 'epcis';
    const req = request({
      host: base.hostname, port: base.port, method: 'POST', agent: false,
      path: epcis ? '/api/v1/events' : '/api/v1/gi/records.csv',
      headers: epcis ? { 'content-type': 'application/ld+json', 'content-length': BODY_BYTES + 12 } : { 'content-type': 'text/csv' },
    });
    let done = false;
    const finish = (status: string) => {
      if (done) return;
      done = true;
      tally.posts++;
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
      req.destroy();
      resolve();
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => finish(String(res.statusCode)));
    });
    req.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? 'error'));
    let sent = 0;
    const pump = () => {
      if (sent === 0) req.write(epcis ? '{"pad":"' : 'registration_number\n');
      while (!done && sent < BODY_BYTES) {
        sent += CHUNK.length;
        tally.bytesSent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once('drain', pump);
      }
      if (!done) req.end(epcis ? '"}' : '');
    };
    pump();
  });
}

/** The attacker process: ATTACKERS clients posting back to back for `seconds`, then the tally as JSON. */
async function attackerMain(url: string, seconds: number): Promise<void> {
  const tally: AttackTally = { posts: 0, bytesSent: 0, statuses: {} };
  const end = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: ATTACKERS }, async (_, i) => {
    while (Date.now() < end) await post(new URL(url), i % 2 === 0 ? 'epcis' : 'csv', tally);
  }));
  process.stdout.write(JSON.stringify(tally));
}

/** Starts the attacker process (nice 19, core 1) for `seconds`; resolves with its tally. */
function attack(url: string, seconds: number): Promise<AttackTally> {
  const child = spawn('nice', ['-n', '19', process.execPath, '-r', 'tsx/cjs', 'bench/large-bodies.ts', 'attack', url, String(seconds)],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  pin(child.pid!, 1);
  let out = '';
  child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AttackTally) : reject(new Error(`attacker exited ${code}`)))));
}

async function main(): Promise<void> {
  pin(process.pid, 1);
  await withApi({ PUBLIC_RATE_LIMIT_MAX: '10000000' }, async (api) => {
    const pid = api.process.pid!;
    pin(pid, 0);
    const { traceCode } = await demoBatch(api.url);
    const page = `${api.url}/t/${traceCode}`;
    const options = { duration: DURATION, connections: CONNECTIONS };

    const quiet = await loadTest('/t/{code}, no attack', page, pid, options);
    const before = memory(pid);
    let maxRss = before.rss;
    const sampler = setInterval(() => { maxRss = Math.max(maxRss, memory(pid).rss); }, 100);
    // The attack starts a second before the measurement (warm-up included) and ends with it.
    const attacking = attack(api.url, DURATION + 3);
    await new Promise((r) => setTimeout(r, 1000));
    const attacked = await loadTest(`/t/{code}, ${ATTACKERS} × ${BODY_BYTES / 1024 / 1024} MB posts`, page, pid, options);
    const tally = await attacking;
    clearInterval(sampler);
    const after = memory(pid);

    console.log(`\nLarge unauthenticated bodies — ${ATTACKERS} clients × ${BODY_BYTES / 1024 / 1024} MB back to back, public page ${CONNECTIONS} connections × ${DURATION} s, node ${process.version}, ${cpus().length} cores\n`);
    console.log(table([quiet, attacked]));
    console.log(`\nAPI RSS: ${before.rss} MB before · max ${maxRss} MB during (+${maxRss - before.rss} MB) · ${after.rss} MB after · peak (VmHWM) ${after.peak} MB`);
    console.log(`attack posts answered: ${tally.posts} (${Object.entries(tally.statuses).map(([s, n]) => `${s}: ${n}`).join(', ')}) · body bytes written by the attackers: ${(tally.bytesSent / 1024 / 1024).toFixed(0)} MB`);
  });
}

if (process.argv[2] === 'attack') runBench(() => attackerMain(process.argv[3], Number(process.argv[4])));
else runBench(main);
