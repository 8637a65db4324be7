import { chinaDateTime } from '../../../../libs/codes/calendar-date';

/**
 * A batch's FSMA 204 key data elements (21 CFR 1.1325 harvesting, 1.1330 cooling and initial
 * packing) as a short list: the cooperative's batch page and the regulator's both show it, so an
 * export lot's records can be checked where the batch is read. Site names, not ids.
 */
export interface KdeFactsData {
  harvestedOn: string | null;
  variety: string | null;
  growingArea: string | null;
  harvesterName: string | null;
  harvesterPhone: string | null;
  /** ISO instant. */
  cooledAt: string | null;
  coolingSite: string | null;
  /** Initial packing date: the batch's production date. */
  packedOn: string;
  /** Where the lot code was assigned (the batch's site when not given otherwise). */
  tlcSource: string | null;
}

const NONE = <span class="muted">未记录</span>;

export function KdeFacts({ k }: { k: KdeFactsData }) {
  const rows: [string, string | null][] = [
    ['采收日期', k.harvestedOn],
    ['品种', k.variety],
    ['地块（种植区域）', k.growingArea],
    ['采收方', k.harvesterName && `${k.harvesterName}${k.harvesterPhone ? ` · ${k.harvesterPhone}` : ''}`],
    ['预冷', k.cooledAt && `${chinaDateTime(new Date(k.cooledAt))}${k.coolingSite ? ` · ${k.coolingSite}` : ''}`],
    ['初次包装日期', k.packedOn],
    ['批号赋予地点', k.tlcSource],
  ];
  return (
    <section class="card" id="fsma-kdes"><h2>出口追溯关键数据（FSMA 204）</h2>
      <ul class="list">{rows.map(([label, value]) => <li><span class="muted">{label}</span> {value || NONE}</li>)}</ul>
    </section>
  );
}
