import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { qrMatrix, QR_QUIET_ZONE } from '../../libs/labels';
import { ROOT } from './processes';

/**
 * Debian's Chromium, headless, with the flags this sandbox needs (no background networking).
 * `fakeCameraVideo`: a Y4M file (see qrVideo) the page's camera shows, camera permission prompts accepted.
 */
export function launchChromium(options: { fakeCameraVideo?: string } = {}): Promise<Browser> {
  const camera = options.fakeCameraVideo
    ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCameraVideo}`]
    : [];
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync', ...camera],
  });
}

let videos = 0;

/** A Y4M video (what Chromium's fake camera plays) showing one QR code, black on white. */
export function qrVideo(text: string): string {
  const m = qrMatrix(text);
  const side = 480;
  const cells = m.size + 2 * QR_QUIET_ZONE;
  const px = Math.floor(side / cells);
  const offset = Math.floor((side - px * cells) / 2) + QR_QUIET_ZONE * px;
  const y = Buffer.alloc(side * side, 235);
  for (let r = 0; r < m.size; r++) {
    for (let c = 0; c < m.size; c++) {
      if (!m.modules[r * m.size + c]) continue;
      for (let dy = 0; dy < px; dy++) y.fill(16, (offset + r * px + dy) * side + offset + c * px, (offset + r * px + dy) * side + offset + (c + 1) * px);
    }
  }
  const chroma = Buffer.alloc((side / 2) * (side / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  const file = join(tmpdir(), `tianfu-qr-${process.pid}-${++videos}.y4m`);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
  return file;
}

/** Screenshots land in test-output/ (ignored by git) for people to look at. */
export function screenshotPath(name: string): string {
  const dir = join(ROOT, 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
