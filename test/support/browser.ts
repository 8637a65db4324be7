import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';
import { qrMatrix, QR_QUIET_ZONE } from '../../libs/labels';
import { ROOT } from './processes';

/** Debian's Chromium, headless, with the flags this sandbox needs (no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** Screenshots land in test-output/ (ignored by git) for people to look at. */
export function screenshotPath(name: string): string {
  const dir = join(ROOT, 'test-output', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/**
 * Writes a Y4M video (what Chromium's fake camera plays) showing one QR code, black on white, to
 * `file` (default: one per test process). Chromium opens the file each time a page starts the
 * camera, so a test can write another code to the same file before its next scan.
 */
export function qrVideo(text: string, file = join(tmpdir(), `tianfu-qr-${process.pid}.y4m`)): string {
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
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F10:1 Ip A1:1 C420jpeg\n`), frame, frame, frame]));
  return file;
}

/** Chromium with a fake camera playing `videoFile` (see qrVideo) and camera prompts accepted. */
export function launchChromiumWithCamera(videoFile: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${videoFile}`],
  });
}
