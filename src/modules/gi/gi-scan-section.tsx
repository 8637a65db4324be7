import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import { GiScanFacts, GiService } from './gi.service';

const STATE_TEXT: Record<GiScanFacts['authorisedUser']['state'], string> = {
  authorised: '授权使用中',
  ended: '授权已到期',
  revoked: '授权已撤销',
};

/** The consumer page's 地理标志 section: which GI the batch claims and whether the producer is (still) an authorised user. */
export function GiSection({ f }: { f: GiScanFacts }) {
  const state = f.authorisedUser;
  return (
    <section class="card" id="gi"><h2>地理标志</h2>
      <dl>
        <dt>产品</dt><dd>{f.name}</dd>
        <dt>类型</dt><dd>{f.regimeName}</dd>
        <dt>登记编号</dt><dd>{f.registrationNumber}</dd>
        <dt>持有人</dt><dd>{f.holder.name ?? f.holder.uscc}</dd>
        {f.holder.name && <><dt>信用代码</dt><dd>{f.holder.uscc}</dd></>}
        <dt>状态</dt><dd>{f.status === 'revoked' ? '已撤销' : '有效'}</dd>
        {f.chinaEu && <><dt>中欧协定</dt><dd>列入中欧地理标志协定清单</dd></>}
        <dt>授权用户</dt>
        <dd><span class={state.state === 'authorised' ? 'ok' : undefined}>{STATE_TEXT[state.state]}{state.endedOn && <span class="nowrap">（{state.endedOn}）</span>}</span></dd>
      </dl>
      {f.status === 'revoked'
        ? <p class="warn" role="note">该地理标志已于 {f.revokedOn ?? ''} 撤销；本批次在撤销前登记使用。</p>
        : state.state !== 'authorised' && <p class="warn" role="note">生产者目前不再是该地理标志的授权使用人；本批次在授权期内登记使用。</p>}
    </section>
  );
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
      render: (facts) => <GiSection f={facts} />,
    });
  }
}
