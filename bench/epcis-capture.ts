/**
 * EPCIS capture throughput (issue 15: ≥ 2,000 events/s, "unchanged"): one org posts BENCH_RUNS
 * documents of BENCH_EVENTS ObjectEvents each (partner identifiers, no eventIDs: the job computes
 * every CBV 2.0 hash ID), one after another, waiting for each capture job to finish. Prints events/s
 * (wall, from the POST to the job's end), the API process's CPU per 1,000 events (from /proc: the
 * machine's other load does not inflate it), PostgreSQL's CPU meanwhile, and the load average.
 * Jobs run in-process (no REDIS_URL), as in the embedded deployment.
 *   npm run build && npx tsx bench/epcis-capture.ts     (BENCH_EVENTS, BENCH_RUNS;
 *   BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API)
 */
import { readFileSync } from 'node:fs';
import { completeUscc } from '../libs/codes';
import { BENCH_ADMIN_TOKEN, call, cpuTicks, postgresPids, runBench, table, ticksSince, withApi } from './support';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function documentOf(run: number): string {
  const eventList = Array.from({ length: EVENTS }, (_, i) => ({
    type: 'ObjectEvent', action: 'OBSERVE', bizStep: 'shipping', disposition: 'in_transit',
    eventTime: new Date(Date.UTC(2026, 10, 1) + (run * EVENTS + i) * 1000).toISOString(), eventTimeZoneOffset: '+08:00',
    epcList: [`https://id.partner.example/01/09521234543213/21/${run}-${i}`],
    quantityList: [{ epcClass: `https://id.partner.example/01/09521234543213/10/P${i % 500}`, quantity: 12.5, uom: 'KGM' }],
    readPoint: { id: 'https://id.partner.example/414/9521234000006' },
    bizTransactionList: [{ type: 'po', bizTransaction: `https://id.partner.example/po/${run}-${i}` }],
  }));
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0',
    creationDate: new Date().toISOString(), epcisBody: { eventList },
  });
}

runBench(() => withApi({}, async ({ url, process: api }) => {
  const org = (await call(url, '/api/v1/organizations', BENCH_ADMIN_TOKEN, { name: '成都市果品收购有限公司', kind: 'purchaser', uscc: completeUscc('91510106MA6C5678'), regionCode: '510106' })).json;
  const token = (await call(url, `/api/v1/organizations/${org.id}/api-keys`, BENCH_ADMIN_TOKEN, { role: 'operator' })).json.token as string;
  const rows: Record<string, string | number>[] = [];
  for (let run = 0; run < RUNS; run++) {
    const body = documentOf(run);
    const cpu = cpuSeconds(api.pid!);
    const pg = cpuTicks(postgresPids());
    const t = process.hrtime.bigint();
    const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/ld+json' }, body });
    const accepted = Number(process.hrtime.bigint() - t) / 1e6;
    if (res.status !== 202) throw new Error(`capture: ${res.status} ${await res.text()}`);
    const location = res.headers.get('location')!;
    let job: { running: boolean; capturedCount: number; success: boolean };
    do {
      await new Promise((r) => setTimeout(r, 50));
      job = (await call(url, location, token)).json;
    } while (job.running);
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const apiCpu = cpuSeconds(api.pid!) - cpu;
    const pgCpu = ticksSince(pg) / 100;
    rows.push({
      run: run + 1, events: EVENTS, MB: (body.length / 1e6).toFixed(1), stored: job.capturedCount, '202 after ms': accepted.toFixed(0),
      'wall s': seconds.toFixed(2), 'events/s (wall)': Math.round(EVENTS / seconds), 'API CPU ms / 1,000 events': Math.round(apiCpu * 1e6 / EVENTS),
      'events per API CPU s': Math.round(EVENTS / apiCpu), 'PostgreSQL CPU s (all backends)': pgCpu.toFixed(1), load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    });
  }
  console.log(`EPCIS capture, ${RUNS} documents of ${EVENTS} ObjectEvents (jobs in-process, PostgreSQL):`);
  console.log(table(rows));
}));
