/**
 * Where a request's microseconds go: a V8 CPU profile of the API (see BENCH_API_NODE_ARGS in
 * support.ts) summed by category — each sample goes to the nearest frame, leaf upward, that a rule
 * below names — and scaled to µs per request when given the measured CPU per request.
 *   BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx bench/scan.ts
 *   npx tsx bench/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [µs per request]
 * Settings: PROFILE_FROM (a function name; samples before its first appearance, i.e. start-up, are
 * skipped), PROFILE_SKIP_MS (then skip this much more, e.g. a warm-up), PROFILE_SPAN_MS (and keep this much).
 * The profiler slows the process by about a third, unevenly: use the shares, with µs per request
 * measured without it.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

/** First match wins, walking from the sampled frame towards the root. */
const RULES: [string, (f: CallFrame) => boolean][] = [
  ['idle', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['socket writes (syscall; on loopback the kernel delivers to the reader here)', (f) => ['writev', 'writeBuffer', 'writeUtf8String'].includes(f.functionName)],
  ['scan recorder: flush', (f) => /scan-recorder/.test(f.url) && /write|flush|countClients/.test(f.functionName)],
  ['scan recorder: record()', (f) => /scan-recorder/.test(f.url)],
  ['scan page render', (f) => /renderScanPage|renderScans|renderFeedback|encodedBatch/.test(f.functionName)],
  ['client classification + fingerprint', (f) => /clientOf|classifyClient|networkPrefix|bucket/.test(f.functionName) || /ipaddr/.test(f.url)],
  ['scan service: cache lookups, view', (f) => /scan\.service/.test(f.url)],
  ['metrics (histograms)', (f) => /prom-client|modules\/metrics/.test(f.url)],
  ['rate limit', (f) => /rate-limit/.test(f.url)],
  ['security headers, request id', (f) => /security-headers|http-options/.test(f.url)],
  // Our own code outside the scan path (services, audit, idempotency), before the frameworks that call it.
  ['application code (src/, libs/)', (f) => /\/dist\/(src|libs)\//.test(f.url)],
  ['request validation (class-validator/transformer)', (f) => /class-validator|class-transformer/.test(f.url)],
  ['node-postgres', (f) => /node_modules\/pg(-protocol)?\//.test(f.url)],
  ['TypeORM', (f) => /typeorm/.test(f.url)],
  ['Nest (pipeline, guards, interceptors)', (f) => /@nestjs|rxjs/.test(f.url)],
  ['Fastify (routing, hooks, reply)', (f) => /fastify|find-my-way/.test(f.url)],
  ['node:http (parser, headers)', (f) => /node:_http|node:http/.test(f.url)],
  ['node:net and streams', (f) => /node:net|node:internal\/streams|stream_base/.test(f.url)],
  ['async hooks (AsyncLocalStorage)', (f) => /async_hooks/.test(f.url)],
  ['V8 (program) and microtask queue', (f) => /\(program\)|runMicrotasks/.test(f.functionName)],
];

function summarise(profile: CpuProfile): Map<string, number> {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = process.env.PROFILE_FROM ? new RegExp(process.env.PROFILE_FROM) : null;
  const skip = Number(process.env.PROFILE_SKIP_MS ?? 0) * 1000;
  const span = Number(process.env.PROFILE_SPAN_MS ?? Infinity) * 1000;
  const byCategory = new Map<string, number>();
  let now = 0;
  let start = from ? -1 : 0;
  profile.samples.forEach((id, i) => {
    now += profile.timeDeltas[i] ?? 0;
    if (start < 0) {
      if (!from!.test(nodes.get(id)!.callFrame.functionName)) return;
      start = now;
    }
    if (now - start < skip || now - start > skip + span) return;
    let category = 'other';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const rule = RULES.find(([, matches]) => matches(nodes.get(at!)!.callFrame));
      if (rule) {
        category = rule[0];
        break;
      }
    }
    byCategory.set(category, (byCategory.get(category) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  byCategory.delete('idle');
  return byCategory;
}

const [file, perRequest] = process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [µs per request]');
const byCategory = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
const busy = [...byCategory.values()].reduce((a, b) => a + b, 0);
console.log(`busy ${(busy / 1e6).toFixed(2)} s of samples${perRequest ? `, scaled to ${perRequest} µs per request` : ''}\n`);
for (const [category, us] of [...byCategory].sort((a, b) => b[1] - a[1])) {
  const share = us / busy;
  console.log(`${(share * 100).toFixed(1).padStart(5)}%${perRequest ? `${(share * Number(perRequest)).toFixed(1).padStart(8)} µs` : ''}  ${category}`);
}
