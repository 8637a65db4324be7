/**
 * Issue 21, item 7: the scale-out topology on one machine, under a mixed workload, through three failures.
 *   npm run build && npx tsx bench/topology.ts        (as root; needs PostgreSQL 15's binaries, redis-server and haproxy)
 *
 * Starts, all on free ports under one temporary folder (nothing of the machine's own services is used):
 * a PostgreSQL primary and a streaming replica (initdb + pg_basebackup, run as the `postgres` user),
 * Redis primary + replica + Sentinel, two API processes (DATABASE_REPLICA_URL, REDIS_SENTINELS) behind
 * HAProxy, and two workers. Clients then create batches, print runs (rendered by the workers), EPCIS
 * captures and certificates, each write with an Idempotency-Key and retried with the same key until it
 * is acknowledged, and scan item codes — while the script kills one API process (SIGKILL) at ¼ of the
 * run, one worker (SIGKILL) at ½, and fails Redis over to its replica at ¾. Afterwards every
 * acknowledged write is looked up in the primary: lost = acknowledged but absent, doubled = present
 * more than once (or codes/renders/events beyond what one request makes); scans lost = pages served
 * minus scan records. Replica lag is sampled every second.
 * Settings: BENCH_DURATION (s, default 40), BENCH_CLIENTS (per kind of write, default 2), BENCH_SCANNERS (default 4).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startSentinelGroup } from '../test/support/redis-servers';
import { BENCH_ADMIN_TOKEN, benchApiEnv, Listening, ROOT, runBench, startListening, stopProcess, table, waitForHealthy } from './support';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 40);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2);
const SCANNERS = Number(process.env.BENCH_SCANNERS ?? 4);
const PG_BIN = `/usr/lib/postgresql/${process.env.BENCH_PG_VERSION ?? '15'}/bin`;
const GROUP = 'tianfu-topology';
const QC = { basis: ['quality_control'], evidence: { qualityControl: '按《猕猴桃标准化生产技术规程》生产，落实农药安全间隔期' } };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function asPostgres(command: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** A PostgreSQL primary and a streaming replica of it, in `dir`. */
async function startPostgres(dir: string): Promise<{ primary: string; replica: string; stop: () => void }> {
  const [p1, p2] = [await freePort(), await freePort()];
  chmodSync(dir, 0o777);
  const options = (port: number) => `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on -c synchronous_commit=on -c fsync=on`;
  asPostgres('initdb', ['-D', `${dir}/pg-primary`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  asPostgres('pg_ctl', ['-D', `${dir}/pg-primary`, '-l', `${dir}/pg-primary.log`, '-o', options(p1), '-w', 'start']);
  asPostgres('pg_basebackup', ['-h', '127.0.0.1', '-p', String(p1), '-U', 'postgres', '-D', `${dir}/pg-replica`, '-R', '-X', 'stream']);
  asPostgres('pg_ctl', ['-D', `${dir}/pg-replica`, '-l', `${dir}/pg-replica.log`, '-o', options(p2), '-w', 'start']);
  return {
    primary: `postgres://postgres@127.0.0.1:${p1}/postgres`,
    replica: `postgres://postgres@127.0.0.1:${p2}/postgres`,
    stop: () => {
      for (const node of ['pg-replica', 'pg-primary']) {
        try { asPostgres('pg_ctl', ['-D', `${dir}/${node}`, '-m', 'immediate', 'stop']); } catch { /* already down */ }
      }
    },
  };
}

function startHaproxy(dir: string, port: number, apis: string[]): ChildProcess {
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, [
    'global', '  maxconn 2000',
    'defaults', '  mode http', '  timeout connect 1s', '  timeout client 30s', '  timeout server 30s',
    // A request whose connection failed (a killed replica) is sent to the other one.
    '  retries 3', '  option redispatch', '  retry-on conn-failure empty-response response-timeout',
    `frontend api`, `  bind 127.0.0.1:${port}`, '  default_backend apis',
    'backend apis', '  balance roundrobin', '  option httpchk GET /health', '  timeout check 5s',
    ...apis.map((url, i) => `  server api${i + 1} ${new URL(url).host} check inter 1s fall 2 rise 2`),
  ].join('\n') + '\n');
  return spawn('haproxy', ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Sends a write until it is acknowledged: the same Idempotency-Key on every attempt. */
async function write(base: string, path: string, token: string, body: unknown, tally: Tally): Promise<{ id: string } | undefined> {
  const key = randomUUID();
  for (let attempt = 0; attempt < 60; attempt++) {
    tally.attempts++;
    try {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(body) });
      if (res.status < 300) {
        tally.acknowledged++;
        return (await res.json()) as { id: string };
      }
      if (res.status < 500 && res.status !== 409 && res.status !== 429) {
        tally.refused++;
        tally.lastRefusal = `${res.status} ${(await res.text()).slice(0, 200)}`;
        return undefined;
      }
    } catch {
      // connection cut by a killed replica: retry with the same key
    }
    tally.retries++;
    await sleep(250);
  }
  tally.gaveUp++;
  return undefined;
}

interface Tally { attempts: number; acknowledged: number; retries: number; refused: number; gaveUp: number; lastRefusal?: string }
const tally = (): Tally => ({ attempts: 0, acknowledged: 0, retries: 0, refused: 0, gaveUp: 0 });

interface Org { token: string; productId: string; siteId: string }

async function setupOrg(base: string): Promise<Org> {
  const post = async (path: string, token: string, body: unknown) => {
    const t = tally();
    const made = await write(base, path, token, body, t);
    if (!made) throw new Error(`${path}: ${t.lastRefusal ?? 'no answer'}`);
    return made;
  };
  const org = await post('/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '蒲江县拓扑测试合作社', kind: 'cooperative', uscc: '91510114730209375B', regionCode: '510131' });
  const token = ((await post(`/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'org_admin' })) as unknown as { token: string }).token;
  const product = await post('/api/v1/products', token, { name: '蒲江猕猴桃（红阳）', category: '水果', spec: '2.5kg/箱' });
  const site = await post('/api/v1/sites', token, { name: '西来镇猕猴桃基地', regionCode: '510131' });
  return { token, productId: product.id, siteId: site.id };
}

runBench(async () => {
  for (const program of ['haproxy', 'redis-server', 'runuser', join(PG_BIN, 'initdb')]) {
    try { execFileSync('sh', ['-c', `command -v ${program}`]); } catch { throw new Error(`${program} is missing (Debian: apt-get install -y haproxy redis-server postgresql-15)`); }
  }
  const dir = mkdtempSync('/tmp/tianfu-topology-');
  const children: ChildProcess[] = [];
  const pg = await startPostgres(dir);
  const redis = await startSentinelGroup(GROUP);
  const [, redisReplica, sentinel] = redis.ports;
  try {
    const env = benchApiEnv(pg.primary, {
      DATABASE_REPLICA_URL: pg.replica, REDIS_URL: `redis://${GROUP}`, REDIS_SENTINELS: `127.0.0.1:${sentinel}`,
      QUEUE_PREFIX: `tianfu-topology-${process.pid}`, FILES_DIR: join(dir, 'files'), LABEL_SYNC_MAX: '0', PUBLIC_RATE_LIMIT_MAX: '10000000',
    });
    execFileSync(process.execPath, ['dist/src/cli.js', 'migrate'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    const apis: Listening[] = [await startListening(process.execPath, ['dist/src/main.js'], env), await startListening(process.execPath, ['dist/src/main.js'], env)];
    const workers = [0, 1].map(() => spawn(process.execPath, ['dist/src/worker.js'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
    children.push(...apis.map((a) => a.process), ...workers);
    const proxyPort = await freePort();
    children.push(startHaproxy(dir, proxyPort, apis.map((a) => a.url)));
    const base = `http://127.0.0.1:${proxyPort}`;
    await waitForHealthy(`${base}/health`);

    const org = await setupOrg(base);
    const scanBatch = (await write(base, '/api/v1/batches', org.token, { productId: org.productId, siteId: org.siteId, quantity: { value: '100000', unit: 'kg' }, producedOn: '2026-10-08' }, tally()))!;
    const scanRun = (await write(base, `/api/v1/batches/${scanBatch.id}/print-runs`, org.token, { count: 1000 }, tally()))!;
    const db = new Client({ connectionString: pg.primary });
    await db.connect();
    const codes = (await db.query<{ code: string }>('SELECT code FROM trace_codes WHERE print_run_id = $1', [scanRun.id])).rows.map((r) => r.code);
    const capture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/epcis-examples/Example_9.6.1-ObjectEvent.jsonld'), 'utf8'));

    const tallies = { batches: tally(), printRuns: tally(), renders: tally(), captures: tally(), certificates: tally() };
    const made = { batches: [] as string[], printRuns: [] as string[], captures: [] as string[], certificates: [] as string[] };
    let scansServed = 0;
    let scanErrors = 0;
    const lag: number[] = [];
    const events: string[] = [];
    const started = Date.now();
    const running = () => Date.now() - started < DURATION_S * 1000;

    const batchLoop = async () => {
      while (running()) {
        const batch = await write(base, '/api/v1/batches', org.token, { productId: org.productId, siteId: org.siteId, quantity: { value: '500', unit: 'kg' }, producedOn: '2026-10-08' }, tallies.batches);
        if (!batch) continue;
        made.batches.push(batch.id);
        const cert = await write(base, '/api/v1/certificates', org.token, { batchId: batch.id, ...QC, quantity: { value: '100', unit: 'kg' } }, tallies.certificates);
        if (cert) made.certificates.push(cert.id);
        const run = await write(base, `/api/v1/batches/${batch.id}/print-runs`, org.token, { count: 20 }, tallies.printRuns);
        if (!run) continue;
        made.printRuns.push(run.id);
        // The render is a job: poll until a worker has made the PDF (a killed worker's job runs again).
        for (let i = 0; i < 400; i++) {
          tallies.renders.attempts++;
          const res = await fetch(`${base}/api/v1/print-runs/${run.id}/labels.pdf?layout=a4-40`, { headers: { Authorization: `Bearer ${org.token}` } }).catch(() => undefined);
          if (res?.status === 200) { tallies.renders.acknowledged++; await res.arrayBuffer(); break; }
          await res?.arrayBuffer();
          await sleep(250);
        }
      }
    };
    const captureLoop = async () => {
      while (running()) {
        const eventID = `urn:uuid:${randomUUID()}`;
        const doc = { ...capture, epcisBody: { eventList: [{ ...capture.epcisBody.eventList[0], eventID }] } };
        if (await write(base, '/api/v1/events', org.token, doc, tallies.captures)) made.captures.push(eventID);
      }
    };
    const scanLoop = async () => {
      for (let i = 0; running(); i++) {
        const res = await fetch(`${base}/t/${codes[i % codes.length]}`).catch(() => undefined);
        if (res?.status === 200) scansServed++; else scanErrors++;
        await res?.arrayBuffer();
      }
    };
    const lagLoop = async () => {
      const replica = new Client({ connectionString: pg.replica });
      await replica.connect();
      while (running()) {
        const [row] = (await replica.query<{ ms: number | null }>("SELECT (EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS ms")).rows;
        if (row.ms !== null) lag.push(row.ms);
        await sleep(1000);
      }
      await replica.end();
    };
    const failures = async () => {
      await sleep((DURATION_S * 1000) / 4);
      apis[0].process.kill('SIGKILL');
      events.push(`${Math.round((Date.now() - started) / 1000)} s: API process 1 killed (SIGKILL)`);
      await sleep((DURATION_S * 1000) / 4);
      workers[0].kill('SIGKILL');
      events.push(`${Math.round((Date.now() - started) / 1000)} s: worker 1 killed (SIGKILL)`);
      await sleep((DURATION_S * 1000) / 4);
      execFileSync('redis-cli', ['-p', String(sentinel), 'SENTINEL', 'FAILOVER', GROUP]);
      events.push(`${Math.round((Date.now() - started) / 1000)} s: Redis failed over to its replica (port ${redisReplica})`);
    };

    await Promise.all([
      ...Array.from({ length: CLIENTS }, batchLoop), ...Array.from({ length: CLIENTS }, captureLoop),
      ...Array.from({ length: SCANNERS }, scanLoop), lagLoop(), failures(),
    ]);
    // Give the surviving API a flush interval to write its buffered scans, and the jobs (captures,
    // renders) queued before the end time to finish: lost means never done, not done late.
    await sleep(3000);
    // Captures queued faster than the surviving worker judges them drain for a while: wait while the
    // unfinished count keeps falling; what stops moving for longer than a sweep (JOB_SWEEP_EVERY_MS, 60 s:
    // jobs Redis lost in a failover wait for it) is stuck, and counts as lost below.
    const drainStarted = Date.now();
    let unfinished = Infinity;
    let movedAt = Date.now();
    for (;;) {
      const [{ n }] = (await db.query<{ n: string }>("SELECT count(*) AS n FROM capture_jobs WHERE status IN ('pending', 'running')")).rows;
      if (Number(n) < unfinished) { unfinished = Number(n); movedAt = Date.now(); }
      if (unfinished === 0 || Date.now() - movedAt > 75_000 || Date.now() - drainStarted > 600_000) break;
      await sleep(500);
    }
    events.push(`jobs drained ${Math.round((Date.now() - drainStarted) / 1000)} s after the end (${unfinished} captures still unfinished)`);

    const count = async (sql: string, params: unknown[]) => (await db.query<{ n: string; d: string }>(sql, params)).rows[0];
    const ours = made.batches;
    const batches = await count('SELECT count(*) FILTER (WHERE id = ANY($1::uuid[])) AS n, count(*) - 1 - count(*) FILTER (WHERE id = ANY($1::uuid[])) AS d FROM batches', [ours]);
    const certificates = await count('SELECT count(*) FILTER (WHERE id = ANY($1::uuid[])) AS n, count(*) - count(*) FILTER (WHERE id = ANY($1::uuid[])) AS d FROM certificates WHERE batch_id = ANY($2::uuid[])', [made.certificates, ours]);
    const runs = await count('SELECT count(*) FILTER (WHERE id = ANY($1::uuid[])) AS n, count(*) - count(*) FILTER (WHERE id = ANY($1::uuid[])) AS d FROM print_runs WHERE batch_id = ANY($2::uuid[])', [made.printRuns, ours]);
    const codesMade = await count('SELECT count(*) AS n, count(*) - count(DISTINCT code) AS d FROM trace_codes WHERE print_run_id = ANY($1::uuid[])', [made.printRuns]);
    const renders = await count("SELECT count(*) FILTER (WHERE status = 'done') AS n, count(*) - count(DISTINCT (print_run_id, format, layout)) AS d FROM label_renders WHERE print_run_id = ANY($1::uuid[])", [made.printRuns]);
    const captured = await count('SELECT count(DISTINCT event_id) AS n, count(*) - count(DISTINCT event_id) AS d FROM epcis_events WHERE event_id = ANY($1::text[])', [made.captures]);
    const scansRecorded = Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM scan_events')).rows[0].n);
    await db.end();

    const row = (what: string, t: Tally, acknowledged: number, stored: { n: string; d: string }, extra = '') => ({
      what, attempts: t.attempts, retries: t.retries, acknowledged, 'refused (4xx)': t.refused, 'gave up': t.gaveUp,
      stored: Number(stored.n), lost: acknowledged - Number(stored.n), doubled: Number(stored.d), note: extra || (t.lastRefusal ?? ''),
    });
    console.log(`\nTopology: PostgreSQL primary + streaming replica, Redis + replica + Sentinel, 2 API processes behind HAProxy, 2 workers; ${DURATION_S} s, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const e of events) console.log(`  ${e}`);
    console.log(table([
      row('batches', tallies.batches, made.batches.length, batches),
      row('certificates', tallies.certificates, made.certificates.length, certificates),
      row('print runs', tallies.printRuns, made.printRuns.length, runs),
      row('item codes (20 per run)', tally(), made.printRuns.length * 20, codesMade),
      row('label renders (jobs)', tallies.renders, made.printRuns.length, renders, 'one render asked for per acknowledged print run'),
      row('EPCIS captures (jobs)', tallies.captures, made.captures.length, captured),
    ]));
    console.log(`Scans: ${scansServed} pages served (${scanErrors} failed), ${scansRecorded} recorded: ${scansServed - scansRecorded} lost (the killed process's unflushed buffer is at most one SCAN_FLUSH_INTERVAL_MS of its scans).`);
    const sorted = [...lag].sort((a, b) => a - b);
    console.log(`Replica lag (now − last replayed commit, sampled each second): median ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms.`);
  } finally {
    await Promise.all(children.map((c) => stopProcess(c).catch(() => undefined)));
    await redis.stop();
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
