import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import { PublicTestSummary, TestRecordsService } from './test-records.service';

const VERDICT_TEXT = { pass: '合格', fail: '不合格' } as const;

/** The consumer page's "检测信息" section: latest tests, without lab internals. */
@Injectable()
export class TestResultsSection implements OnModuleInit {
  constructor(private readonly sections: ScanSections, private readonly records: TestRecordsService) {}

  onModuleInit(): void {
    this.sections.register<PublicTestSummary[]>({
      key: 'tests',
      order: 20,
      load: (batchId) => this.records.publicSummary(batchId),
      render: (tests) => (
        <section class="card" id="tests"><h2>检测信息</h2>
          <ul class="tests">{tests.map((t) => (
            <li><span>{t.testedOn} · {t.streamLabel} · {t.analyteCount} 项</span> <b class={`verdict ${t.verdict}`}>{VERDICT_TEXT[t.verdict]}</b></li>
          ))}</ul>
        </section>
      ),
    });
  }
}
