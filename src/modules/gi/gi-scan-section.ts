import { Injectable, OnModuleInit } from '@nestjs/common';
import { esc } from '../../common/html';
import { ScanSections } from '../scan-sections';
import { GiScanFacts, GiService } from './gi.service';

const STATE_TEXT: Record<GiScanFacts['authorisedUser']['state'], string> = {
  authorised: '授权使用中',
  ended: '授权已到期',
  revoked: '授权已撤销',
};

/** The consumer page's 地理标志 section: which GI the batch claims and whether the producer is (still) an authorised user. */
export function renderGiSection(f: GiScanFacts): string {
  const row = (dt: string, dd: string) => `<dt>${esc(dt)}</dt><dd>${dd}</dd>`;
  const state = f.authorisedUser;
  const stateText = `${STATE_TEXT[state.state]}${state.endedOn ? `<span class="nowrap">（${esc(state.endedOn)}）</span>` : ''}`;
  const stateClass = state.state === 'authorised' ? ' class="ok"' : '';
  const warning = f.status === 'revoked'
    ? `<p class="warn" role="note">该地理标志已于 ${esc(f.revokedOn ?? '')} 撤销；本批次在撤销前登记使用。</p>`
    : state.state !== 'authorised'
      ? '<p class="warn" role="note">生产者目前不再是该地理标志的授权使用人；本批次在授权期内登记使用。</p>'
      : '';
  return `<section class="card" id="gi"><h2>地理标志</h2><dl>${row('产品', esc(f.name))}${row('类型', esc(f.regimeName))}`
    + `${row('登记编号', esc(f.registrationNumber))}${row('持有人', esc(f.holder.name ?? f.holder.uscc))}`
    + `${f.holder.name ? row('信用代码', esc(f.holder.uscc)) : ''}`
    + `${row('状态', f.status === 'revoked' ? '已撤销' : '有效')}${f.chinaEu ? row('中欧协定', '列入中欧地理标志协定清单') : ''}`
    + `${row('授权用户', `<span${stateClass}>${stateText}</span>`)}</dl>${warning}</section>`;
}

@Injectable()
export class GiScanSection implements OnModuleInit {
  constructor(
    private readonly sections: ScanSections,
    private readonly gi: GiService,
  ) {}

  onModuleInit(): void {
    this.sections.register<GiScanFacts>({
      key: 'gi',
      order: 30,
      load: (batchId) => this.gi.scanFacts(batchId),
      render: renderGiSection,
    });
  }
}
