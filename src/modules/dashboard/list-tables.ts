import type { GapBatch } from '../certificates';
import type { LotView } from '../events';
import { STATUS_TEXT } from '../console';
import { chinaDate, chinaDateTime } from '../../../libs/codes/calendar-date';
import type { BatchFarmRecord, InputApplicationView } from '../farm-inputs';
import type { IndicatorResult } from '../indicators/domain';
import { findRegion } from '../regions/domain';
import type { SampleStatus, SampleVerdict } from '../sampling/domain';
import { STREAM_LABELS } from '../test-records/domain';
import type { BatchRow, FailedSampleRow, SampleRow } from './dashboard-lists.service';
import { Column, Table, TableRow } from './domain/table';

const SAMPLE_STATUS_TEXT: Record<SampleStatus, string> = { planned: '待抽样', collected: '已抽样', received: '已接收', tested: '已检测', judged: '已判定' };
const VERDICT_TEXT: Record<SampleVerdict, string> = { pass: '合格', fail: '不合格', no_limit: '无限量标准' };

function verdictText(verdict: SampleVerdict | null): string {
  return verdict ? VERDICT_TEXT[verdict] : '—';
}

function regionName(code: string): string {
  return findRegion(code)?.fullName ?? code;
}

function leaf(categoryPath: string): string {
  return categoryPath.split('>').pop() ?? categoryPath;
}

function certificateText(c: BatchRow['certificates']): string {
  if (c.valid > 0) return '有效';
  return c.voided > 0 ? '已作废' : '未开具';
}

const text = (key: string, header: string): Column => ({ key, header, kind: 'text' });
const count = (key: string, header: string): Column => ({ key, header, kind: 'count' });
const date = (key: string, header: string): Column => ({ key, header, kind: 'date' });

/** An organisation's batches: certificate status, trace code, samples and their verdicts. */
export function batchesTable(rows: BatchRow[], link: (id: string) => string): Table {
  return {
    id: 'batches', title: '批次',
    columns: [
      text('lotCode', '批号'), text('product', '产品'), text('category', '类别'), date('producedOn', '生产日期'), text('region', '产地'),
      text('status', '批次状态'), text('certificate', '合格证'), text('traceCode', '追溯码'),
      count('samples', '抽检样品'), count('passed', '合格'), count('failed', '不合格'),
    ],
    rows: rows.map((b): TableRow => ({
      cells: {
        lotCode: b.lotCode, product: b.productName, category: leaf(b.categoryPath), producedOn: b.producedOn, region: regionName(b.regionCode),
        status: STATUS_TEXT[b.status] ?? b.status, certificate: certificateText(b.certificates), traceCode: b.traceCode ?? '',
        samples: b.samples.total, passed: b.samples.passed, failed: b.samples.failed,
      },
      href: link(b.id),
    })),
  };
}

/** A batch's samples: number, stream, dates, verdict, the analytes that failed. */
export function samplesTable(rows: SampleRow[]): Table {
  return {
    id: 'samples', title: '样品',
    columns: [
      text('sampleNo', '样品编号'), text('stream', '抽检类型'), date('collectedOn', '抽样日期'), date('judgedOn', '判定日期'),
      text('status', '状态'), text('verdict', '结论'), text('failedAnalytes', '不合格项目'),
    ],
    rows: rows.map((s) => ({
      cells: {
        sampleNo: s.recheckOf ? `${s.sampleNo}（复检）` : s.sampleNo, stream: STREAM_LABELS[s.stream] ?? s.stream,
        collectedOn: s.collectedAt ? chinaDate(s.collectedAt) : null, judgedOn: s.judgedOn,
        status: SAMPLE_STATUS_TEXT[s.status as SampleStatus] ?? s.status, verdict: verdictText(s.verdict), failedAnalytes: s.failedAnalytes.join('、'),
      },
    })),
  };
}

function stepText(depth: number): string {
  if (depth === 0) return '本批次';
  return depth < 0 ? `上游 ${-depth} 级` : `下游 ${depth} 级`;
}

/**
 * The lots a batch came from and went to (SupplyChainService.trace), nearest first: where a failed
 * batch's product went, for a recall. `link` answers undefined for lots the reader may not open.
 */
export function traceTable(lots: LotView[], link: (lot: LotView) => string | undefined): Table {
  return {
    id: 'trace', title: '上下游批次',
    columns: [
      text('lotCode', '批号'), text('step', '环节'), text('organization', '主体'), text('product', '产品'), text('region', '地区'),
      { key: 'quantity', header: '数量', kind: 'amount' }, text('unit', '单位'), date('producedOn', '日期'), text('status', '批次状态'),
    ],
    rows: lots.filter((l) => l.depth !== 0).map((l) => ({
      cells: {
        lotCode: l.lotCode, step: stepText(l.depth), organization: l.organization.name, product: l.product.name, region: l.regionName,
        quantity: Number(l.quantity.value), unit: l.quantity.unit, producedOn: l.producedOn, status: STATUS_TEXT[l.status] ?? l.status,
      },
      href: link(l),
    })),
  };
}

/** Failed samples of a region and window, each linked to its batch. */
export function failedSamplesTable(rows: FailedSampleRow[], link: (batchId: string) => string): Table {
  return {
    id: 'failed-samples', title: '不合格样品',
    columns: [
      text('sampleNo', '样品编号'), date('sampledOn', '抽样日期'), date('judgedOn', '判定日期'), text('stream', '抽检类型'), text('organization', '主体'),
      text('product', '产品'), text('lotCode', '批号'), text('region', '地区'), text('failedAnalytes', '不合格项目'),
    ],
    rows: rows.map((s) => ({
      cells: {
        sampleNo: s.sampleNo, sampledOn: s.sampledOn, judgedOn: s.judgedOn, stream: STREAM_LABELS[s.stream] ?? s.stream, organization: s.organizationName,
        product: s.productName, lotCode: s.lotCode, region: regionName(s.regionCode), failedAnalytes: s.failedAnalytes.join('、'),
      },
      href: link(s.batchId),
    })),
  };
}

/** Batches in mandatory categories without a valid certificate (CertificateGapsService). */
export function gapsTable(rows: GapBatch[], link: (batchId: string) => string): Table {
  return {
    id: 'certificate-gaps', title: '未开具合格证的批次',
    columns: [
      text('organization', '主体'), text('region', '地区'), text('product', '产品'), text('category', '类别'),
      text('lotCode', '批号'), date('producedOn', '生产日期'), text('status', '批次状态'),
    ],
    rows: rows.map((g) => ({
      cells: {
        organization: g.organizationName, region: g.regionName, product: g.productName, category: leaf(g.category),
        lotCode: g.lotCode, producedOn: normalizeDate(g.producedOn), status: STATUS_TEXT[g.status] ?? g.status,
      },
      href: link(g.batchId),
    })),
  };
}

/**
 * The gaps per organisation: how many of its batches lack a certificate. Taken from the
 * certificate_issuance indicator split by organisation (the same batches: mandatory categories,
 * farmers excluded, by production month): denominator − numerator are the batches without one.
 * Most gaps first.
 */
export function gapsSummaryTable(result: IndicatorResult, link: (organizationId: string) => string): Table {
  const rows = result.rows.filter((r) => r.indicator === 'certificate_issuance' && r.organization).map((r) => {
    const batches = Number(r.denominator);
    return {
      cells: {
        organization: r.organization!.name, region: regionName(r.organization!.regionCode), batches, withoutCertificate: batches - Number(r.numerator),
      },
      href: link(r.organization!.id),
    };
  }).filter((r) => r.cells.batches > 0);
  rows.sort((a, b) => b.cells.withoutCertificate - a.cells.withoutCertificate || a.cells.organization.localeCompare(b.cells.organization, 'zh-CN'));
  return {
    id: 'certificate-gaps-summary', title: '未开证批次（按主体）',
    columns: [text('organization', '主体'), text('region', '注册地'), count('batches', '应开证批次'), count('withoutCertificate', '未开证批次')],
    rows,
  };
}

/**
 * CertificateGapsService reads `produced_on` through the pg driver, which turns a SQL date into a
 * Date at local midnight; show it as the calendar date it was.
 */
function normalizeDate(value: unknown): string {
  if (value instanceof Date) {
    const local = new Date(value.getTime() - value.getTimezoneOffset() * 60_000);
    return local.toISOString().slice(0, 10);
  }
  return String(value ?? '');
}

/** Every application behind a batch (the farm records its gate found), newest first, voided ones with their reason. */
export function farmRecordsTable(rows: InputApplicationView[]): Table {
  return {
    id: 'farm-records', title: '农事记录（投入品使用）',
    columns: [
      text('appliedAt', '施用时间'), text('input', '投入品'), text('kind', '类别'), text('registrationNumber', '登记证号'), text('crop', '作物'),
      text('dose', '用量'), text('area', '面积/头数'), text('target', '防治对象/用途'), text('operator', '施用人'), text('labelCode', '标签码'),
      text('seedUnitCode', '种子单元识别代码'), text('status', '状态'), text('warnings', '警示'),
    ],
    rows: rows.map((a) => ({
      cells: {
        appliedAt: chinaDateTime(new Date(a.appliedAt)), input: a.input.name, kind: a.input.kindName, registrationNumber: a.input.registrationNumber ?? '',
        crop: leaf(a.crop), dose: `${a.dose.value} ${a.dose.unit}`, area: `${a.area.value} ${a.area.unit}`, target: a.target, operator: a.operator,
        labelCode: a.labelCode ?? '', seedUnitCode: a.seedUnitCode ?? '', status: a.status === 'voided' ? `已作废：${a.voidReason ?? ''}` : '有效',
        warnings: a.warnings.map((w) => w.message).join('；'),
      },
    })),
  };
}

const OUTCOME_TEXT: Record<string, string> = { passed: '间隔期核查：通过', overridden: '间隔期核查：经监管放行后通过', refused: '间隔期核查：拒绝' };

/**
 * What happened around those records, oldest first, with who, when and why: each warning (a dose
 * above the label's maximum, raised when the operator recorded it), each regulator's override of an
 * interval (the regulator organisation and its reason), and the gate's judgements of the batch.
 */
export function farmEventsTable(record: BatchFarmRecord, organizationName: (id: string) => string): Table {
  const byId = new Map(record.applications.map((a) => [a.id, a]));
  const what = (id: string) => {
    const a = byId.get(id);
    return a ? `${a.input.name}（${a.appliedOn} · ${leaf(a.crop)}）` : '';
  };
  type Event = { at: string; event: string; application: string; why: string; who: string };
  const events: Event[] = [
    ...record.applications.flatMap((a) => a.warnings.map((w): Event => ({
      at: a.createdAt, event: '超量警示', application: what(a.id), why: w.message, who: `施用人 ${a.operator}（记录时自动警示）`,
    }))),
    ...record.overrides.map((o): Event => ({
      at: o.createdAt, event: '监管放行（间隔期未满）', application: what(o.applicationId), why: `${o.reason}（适用于 ${leaf(o.crop)}）`, who: organizationName(o.regulatorOrganizationId),
    })),
    ...record.judgements.map((j): Event => ({
      at: j.at, event: OUTCOME_TEXT[j.outcome] ?? j.outcome, application: '', why: `采收日期 ${j.harvestedOn} · ${leaf(j.crop)}`, who: '平台（创建批次时核查）',
    })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return {
    id: 'farm-events', title: '剂量警示、监管放行与间隔期核查',
    columns: [text('at', '时间'), text('event', '事项'), text('application', '农事记录'), text('why', '原因/内容'), text('who', '由谁')],
    rows: events.map((e) => ({ cells: { at: chinaDateTime(new Date(e.at)), event: e.event, application: e.application, why: e.why, who: e.who } })),
  };
}
