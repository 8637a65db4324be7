import { Worker } from 'node:worker_threads';

/*
 * zlib compression of many small buffers on a worker thread. A thermal-roll PDF has one page per
 * label, so a 10,000-label run deflates 10,000 content streams of ~3 KB; each zlib call, sync or
 * async, pays a fixed set-up (state allocation, the async call's stream objects) worth more than
 * the compression itself, and on the main thread that was a quarter of a roll run. The worker
 * takes batches of pages and returns them compressed while the main thread lays out the next ones
 * (the A4 sheet's 40-label pages already compress on libuv's pool). The worker's code is inline
 * (eval) so it needs no separate file in src, dist or under ts-jest.
 */
const SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateSync, constants } = require('node:zlib');
parentPort.on('message', (m) => {
  try {
    const input = Buffer.from(m.data);
    const out = [];
    let start = 0;
    for (const length of m.lengths) {
      out.push(deflateSync(input.subarray(start, start + length), { level: m.level, strategy: constants.Z_FILTERED }));
      start += length;
    }
    const joined = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of out) { joined.set(b, at); at += b.length; }
    parentPort.postMessage({ id: m.id, data: joined.buffer, lengths: out.map((b) => b.length) }, [joined.buffer]);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: String(error) });
  }
});`;

interface Waiting {
  resolve(out: Buffer[]): void;
  reject(error: Error): void;
}

let worker: Worker | undefined;
const waiting = new Map<number, Waiting>();
let nextId = 0;

function failAll(error: Error): void {
  for (const w of waiting.values()) w.reject(error);
  waiting.clear();
}

function deflater(): Worker {
  if (worker) return worker;
  const w = new Worker(SOURCE, { eval: true });
  w.unref(); // an idle worker never keeps the process alive (ref'd while batches are out, below)
  w.on('message', (m: { id: number; data?: ArrayBuffer; lengths?: number[]; error?: string }) => {
    const entry = waiting.get(m.id);
    if (!entry) return;
    waiting.delete(m.id);
    if (waiting.size === 0) w.unref();
    if (m.error !== undefined) entry.reject(new Error(m.error));
    else entry.resolve(split(m.data!, m.lengths!));
  });
  w.on('error', (error) => {
    worker = undefined;
    failAll(error);
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
    failAll(new Error('deflate worker exited'));
  });
  worker = w;
  return w;
}

function split(data: ArrayBuffer, lengths: number[]): Buffer[] {
  let start = 0;
  return lengths.map((length) => {
    const part = Buffer.from(data, start, length);
    start += length;
    return part;
  });
}

/**
 * Deflates (zlib format, Z_FILTERED) each of `pages` (latin1 strings) on the worker thread. The
 * pages travel as one transferred buffer each way: cloning many strings and buffers per message
 * cost as much as compressing them.
 */
export function deflatePages(pages: string[], level: number): Promise<Buffer[]> {
  const w = deflater();
  const id = nextId++;
  const lengths = pages.map((p) => p.length);
  const data = Buffer.allocUnsafeSlow(lengths.reduce((n, l) => n + l, 0));
  let at = 0;
  for (const page of pages) at += data.write(page, at, 'latin1');
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, level, lengths, data: data.buffer }, [data.buffer]);
  });
}
