/**
 * CBV 2.0 event hash IDs computed in-process (libs/epcis eventHashId: canonical pre-hash string +
 * SHA-256), on the 43 reference-vector events and the 18 official EPCIS 2.0 examples (URN and Digital
 * Link identifiers, sensor reports, extensions, every event type), cycled. Target ≥ 20,000 IDs/s.
 *   npx tsx bench/event-hash.ts        (pure CPU, no database)
 * Settings: BENCH_ROUNDS (default 5), BENCH_MS (ms per round, default 2000).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextPrefixes, documentEvents, eventHashId } from '../libs/epcis';
import { table } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MS = Number(process.env.BENCH_MS ?? 2000);
const FIXTURES = join(__dirname, '..', 'test', 'fixtures');

const events: { event: Record<string, unknown>; prefixes: Record<string, string> }[] = [];
for (const folder of ['epcis-hash-vectors', 'epcis-examples']) {
  for (const file of readdirSync(join(FIXTURES, folder)).filter((f) => f.endsWith('.jsonld'))) {
    const doc = JSON.parse(readFileSync(join(FIXTURES, folder, file), 'utf8')) as Record<string, unknown>;
    const prefixes = contextPrefixes(doc['@context']);
    for (const event of documentEvents(doc)) events.push({ event, prefixes });
  }
}

/** IDs per wall-clock second and per CPU second of this process (the machine is shared). */
function round(): [wall: number, cpu: number] {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const end = start + MS;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      const e = events[(n + i) % events.length];
      eventHashId(e.event, e.prefixes);
    }
    n += 100;
  }
  const cpu = process.cpuUsage(cpuStart);
  return [(n / (performance.now() - start)) * 1000, (n / (cpu.user + cpu.system)) * 1e6];
}

round(); // warm-up
const rounds = Array.from({ length: ROUNDS }, round);
const median = (values: number[]) => Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);
const wall = rounds.map(([w]) => w);
console.log(table([{
  what: `eventHashId over ${events.length} events`,
  'median IDs/s': median(wall),
  'min IDs/s': Math.round(Math.min(...wall)),
  'max IDs/s': Math.round(Math.max(...wall)),
  'median IDs per CPU-s': median(rounds.map(([, c]) => c)),
}]));
