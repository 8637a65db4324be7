import { chinaDate } from '../../../libs/codes/calendar-date';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ScanSections } from '../scan-sections';
import { SupplyChainService } from './supply-chain.service';

/** One stage of the public chain: who handled the lot, where, when, and what they did. */
export interface ChainStage {
  step: string;
  organization: string;
  place: string;
  date: string;
  product: string;
}

const STEP_BY_KIND: Record<string, string> = { mixing: '混装', splitting: '分装', repacking: '重新包装', processing: '加工' };

/**
 * The scan page's 「流转记录」: the chain from origin through each handler, with dates and places
 * (public facts only: organisation names, places, dates). Shown when the lot has upstream lots.
 */
@Injectable()
export class SupplyChainSection implements OnModuleInit {
  constructor(
    private readonly sections: ScanSections,
    private readonly chain: SupplyChainService,
  ) {}

  onModuleInit(): void {
    this.sections.register<ChainStage[]>({
      key: 'supplyChain',
      order: 50,
      load: (batchId) => this.load(batchId),
      render: (stages) => <SupplyChain stages={stages} />,
    });
  }

  async load(batchId: string): Promise<ChainStage[] | null> {
    const trace = await this.chain.traceFrom(batchId, 'up', 10);
    if (trace.lots.length <= 1) return null;
    const incoming = new Map<string, { kind: string; transformationKind: string | null; eventTime: string }>();
    for (const e of trace.events) incoming.set(e.to, { kind: e.kind, transformationKind: e.transformationKind, eventTime: e.eventTime });
    return trace.lots.map((lot) => {
      const via = incoming.get(lot.id);
      const step = !via ? '生产' : via.kind === 'shipment' ? '收货' : STEP_BY_KIND[via.transformationKind ?? ''] ?? '加工';
      const date = via ? chinaDate(new Date(via.eventTime)) : lot.producedOn;
      return { step, organization: lot.organization.name, place: lot.regionName, date, product: lot.product.name };
    });
  }
}

export function SupplyChain({ stages }: { stages: ChainStage[] }) {
  return (
    <section class="card" id="supply-chain"><h2>流转记录</h2>
      <ol class="chain">{stages.map((s) => (
        <li><strong>{s.step}</strong> · {s.date}<br />{s.organization}<br /><span class="muted">{s.place} · {s.product}</span></li>
      ))}</ol>
    </section>
  );
}
