import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import type { FarmRecordFacts } from './domain/farm-record-facts';
import { InputApplicationsService } from './input-applications.service';

/** The consumer page's 农事记录 section: inputs by common name and kind, last application, interval state. No people, no doses. */
export function FarmRecordsView({ f }: { f: FarmRecordFacts }) {
  return (
    <section class="card" id="farm-records"><h2>农事记录</h2>
      <dl>
        <dt>采收日期</dt><dd>{f.harvestedOn}</dd>
        <dt>最近一次用药/施肥</dt><dd>{f.lastAppliedOn}</dd>
        <dt>安全间隔期</dt>
        <dd>{f.interval === 'satisfied'
          ? <span class="ok">采收时安全间隔期（休药期）已满足</span>
          : <span class="warn">采收时有安全间隔期未满，经监管部门核准放行</span>}</dd>
      </dl>
      <ul>
        {f.inputs.map((i) => (
          <li>{i.name} <span class="muted">{i.kind}{i.lowRisk && ' · 低风险'}{i.organic && ' · 有机肥'} · {i.applications} 次 · 最近 {i.lastAppliedOn}</span></li>
        ))}
      </ul>
    </section>
  );
}

@Injectable()
export class FarmRecordsSection implements OnModuleInit {
  constructor(private readonly sections: ScanSections, private readonly applications: InputApplicationsService) {}

  onModuleInit(): void {
    this.sections.register<FarmRecordFacts>({
      key: 'farmRecords',
      order: 25,
      load: (batchId) => this.applications.publicFacts(batchId),
      render: (facts) => <FarmRecordsView f={facts} />,
    });
  }
}
