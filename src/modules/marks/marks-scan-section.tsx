import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import { MarkScanFacts, MarksService } from './marks.service';

/**
 * The consumer page's 质量标志 section: each mark the batch carries (绿色食品, 有机产品, brands) with its
 * number, holder and a clear state. An expired or revoked mark says so plainly: the batch claimed it
 * while it was valid, but the shopper should know it is no longer.
 */
export function MarksSection({ marks }: { marks: MarkScanFacts[] }) {
  return (
    <section class="card" id="marks"><h2>质量标志</h2>
      <ul class="marks">
        {marks.map((m) => (
          <li key={`${m.scheme}-${m.number}`}>
            <h3>{m.schemeName}</h3>
            <dl>
              <dt>编号</dt><dd>{m.number}</dd>
              <dt>持有人</dt><dd>{m.holderName ?? m.holderUscc}</dd>
              {m.validTo && <><dt>有效期至</dt><dd>{m.validTo}</dd></>}
              <dt>状态</dt><dd><span class={m.state === 'valid' ? 'ok' : 'warn'}>{m.stateName}</span></dd>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
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
      render: (marks) => <MarksSection marks={marks} />,
    });
  }
}
