import type { BatchView } from '../../batches';
import type { CertificateView } from '../../certificates';
import { StatusTag, type Options } from './layout';

/** Parts shared by the workspaces' pages. */

export const UNITS: Options = ['kg', 'g', 't', '个', '枚', '箱', '头', '只'].map((u) => [u, u]);

export function Qty({ q }: { q: { value: string; unit: string } }) {
  return <>{q.value} {q.unit}</>;
}

export function BatchLine({ b }: { b: BatchView }) {
  return (
    <li><a href={`/app/batches/${b.id}`}>{b.product.name} · 批号 {b.lotCode}</a> <StatusTag status={b.status} />
      <br /><span class="muted"><Qty q={b.quantity} /> · 生产日期 {b.producedOn}{b.statusReason && ` · ${b.statusReason}`}</span></li>
  );
}

export function CertLine({ c }: { c: CertificateView }) {
  return (
    <li><a href={`/app/certificates/${c.id}`}>{c.number}</a> <StatusTag status={c.status} /><br />
      <span class="muted">{c.productName} · <Qty q={c.quantity} /> · {c.issuedOn}</span></li>
  );
}
