import { Injectable, OnModuleInit } from '@nestjs/common';
import { esc } from '../../common/html';
import { ScanSections } from '../scan-sections/scan-sections';
import { MarkScanFacts, MarksService } from './marks.service';

/**
 * The consumer page's 质量标志 section: each mark the batch carries (绿色食品, 有机产品, brands) with its
 * number, holder and a clear state. An expired or revoked mark says so plainly: the batch claimed it
 * while it was valid, but the shopper should know it is no longer.
 */
export function renderMarksSection(marks: MarkScanFacts[]): string {
  const items = marks.map((m) => {
    const state = `<span class="${m.state === 'valid' ? 'ok' : 'warn'}">${esc(m.stateName)}</span>`;
    return `<li><h3>${esc(m.schemeName)}</h3><dl><dt>编号</dt><dd>${esc(m.number)}</dd>`
      + `<dt>持有人</dt><dd>${esc(m.holderName ?? m.holderUscc)}</dd>`
      + `${m.validTo ? `<dt>有效期至</dt><dd>${esc(m.validTo)}</dd>` : ''}<dt>状态</dt><dd>${state}</dd></dl></li>`;
  }).join('');
  return `<section class="card" id="marks"><h2>质量标志</h2><ul class="marks">${items}</ul></section>`;
}

@Injectable()
export class MarksScanSection implements OnModuleInit {
  constructor(
    private readonly sections: ScanSections,
    private readonly marks: MarksService,
  ) {}

  onModuleInit(): void {
    this.sections.register<MarkScanFacts[]>({
      key: 'marks',
      order: 32,
      load: async (batchId) => {
        const marks = await this.marks.scanFacts(batchId);
        return marks.length ? marks : null;
      },
      render: renderMarksSection,
    });
  }
}
