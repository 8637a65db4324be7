/**
 * The per-scan cost of telling clients apart for the copy warning (issue 13, item 14), in-process:
 * ClientFingerprints.of() for a returning address (the usual case) and for a new one, next to
 * classifyClient(), which every scan already ran before.
 *   npx tsx bench/scan-fingerprint.ts
 */
import { classifyClient, ClientFingerprints } from '../src/modules/scan/domain/client-info';

const UA = 'Mozilla/5.0 (Linux; Android 14; V2307A) AppleWebKit/537.36 Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.47';
const KEY = 'bench-secret-key-0123456789-0123456789';
const ADDRESSES = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `203.0.${i % 250}.${i % 200}` : `2408:8456:3c12:${i.toString(16)}::1`));
const N = 300_000;

function nsPerOp(run: (i: number) => number, n = N): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += run(i);
  const ns = Number(process.hrtime.bigint() - start) / n;
  if (sink === -1) console.log(sink);
  return ns;
}

const returning = new ClientFingerprints(KEY);
for (let round = 1; round <= 3; round++) {
  const classify = nsPerOp(() => classifyClient(UA, 'zh-CN').os.length);
  const known = nsPerOp((i) => returning.of(ADDRESSES[i % 1000], UA).client % 7);
  // A fresh instance per call: every address is new (parse + keyed digest).
  const fresh = nsPerOp((i) => new ClientFingerprints(KEY).of(ADDRESSES[i % 1000], UA).client % 7, N / 10);
  console.log(`round ${round}: classifyClient ${classify.toFixed(0)} ns · fingerprint, returning address ${known.toFixed(0)} ns · new address ${fresh.toFixed(0)} ns`);
}
