import { Injectable, OnModuleInit } from '@nestjs/common';
import { esc } from '../../common/html';
import { ScanSections } from '../scan-sections';
import type { FarmRecordFacts } from './domain/farm-record-facts';
import { InputApplicationsService } from './input-applications.service';

export function renderFarmRecords(f: FarmRecordFacts): string {
  const intervalText = f.interval === 'satisfied'
    ? '<span class="ok">采收时安全间隔期（休药期）已满足</span>'
    : '<span class="warn">采收时有安全间隔期未满，经监管部门核准放行</span>';
  const items = f.inputs.map((i) => `<li>${esc(i.name)} <span class="muted">${esc(i.kind)}${i.lowRisk ? ' · 低风险' : ''}${i.organic ? ' · 有机肥' : ''} · ${esc(i.applications)} 次 · 最近 ${esc(i.lastAppliedOn)}</span></li>`).join('');
  return `<section class="card" id="farm-records"><h2>农事记录</h2><dl><dt>采收日期</dt><dd>${esc(f.harvestedOn)}</dd>`
    + `<dt>最近一次用药/施肥</dt><dd>${esc(f.lastAppliedOn)}</dd><dt>安全间隔期</dt><dd>${intervalText}</dd></dl><ul>${items}</ul></section>`;
}

@Injectable()
export class FarmRecordsSection implements OnModuleInit {
  constructor(private readonly sections: ScanSections, private readonly applications: InputApplicationsService) {}

  onModuleInit(): void {
    this.sections.register<FarmRecordFacts>({
      key: 'farmRecords',
      order: 25,
      load: (batchId) => this.applications.publicFacts(batchId),
      render: renderFarmRecords,
    });
  }
}
