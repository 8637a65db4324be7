import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { PassThrough } from 'node:stream';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { announceBatchChanged } from '../../common/batch-events';
import { decimal, Decimal, formatDecimal, ZERO } from '../../../libs/decimal';
import { recallEvent } from '../events/domain';
import { EventsService, LotView, SupplyChainService } from '../events';
import { OrganizationsService } from '../organizations';
import { NotificationsService } from '../notifications';
import { AuditService } from '../audit';
import {
  AffectedOrganization, isReportColumn, REPORT_COLUMNS, reportCsv, ReportRow, sortRows, SortOrder,
} from './domain/recall-report';
import { reportHtml } from './views/recall-report-page';
import { CreateRecallDto, RecallConfirmationDto } from './dto/create-recall.dto';
import { Recall, RecallConfirmation } from './recall.entity';
import { closeOut, CloseOutLine } from './domain/close-out';
import { endOfChinaDay, RECALL_GRADES, RecallGrade, recallDeadlines } from './domain/recall-grades';
import { WorkingCalendarService } from '../calendar';
import { parseQuantity, Quantity } from '../../../libs/quantity';
import { chinaDate } from '../../../libs/codes/calendar-date';
import type ExcelJSModule from 'exceljs';

/** exceljs takes over a tenth of a second to load; only spreadsheet exports need it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const excel = (): typeof ExcelJSModule => require('exceljs') as typeof ExcelJSModule;

/** How far downstream a recall follows the lot links. */
const RECALL_DEPTH = 64;

export interface RecallView {
  id: string;
  mode: Recall['mode'];
  batchId: string;
  reason: string;
  createdAt: string;
  durationMs: number;
  lotCount: number;
  recalledLotCount: number;
  eventCount: number;
  affectedOrganizations: AffectedOrganization[];
  lots: { id: string; lotCode: string; organizationId: string; product: string; quantity: { value: string; unit: string }; status: string }[];
  epcisEventID: string | null;
  report: { html: string; csv: string; xlsx: string };
  grade: { level: number; name: string } | null;
  discoveredAt: string | null;
  /** startBy: instant; finishBy: the last working day (China date); calendarVerified: the holiday data behind it was complete and checked. */
  deadlines: { startBy: string; finishBy: string; calendarVerified: boolean } | null;
  startedOnTime: boolean | null;
  closedAt: string | null;
  overdue: boolean;
  closeOut: CloseOutLine[];
}

export type RecallSummary = Pick<RecallView, 'id' | 'mode' | 'batchId' | 'reason' | 'createdAt' | 'durationMs' | 'lotCount' | 'epcisEventID'>;

const STEP_NAMES: Record<string, string> = {
  shipment: 'receiving 收货', capture: 'transformation 转换（采集）',
  mixing: 'mixing 混装', splitting: 'splitting 分装', repacking: 'repacking 重新包装', processing: 'processing 加工',
};

/**
 * Recalls: from one lot, every downstream lot, organisation and quantity (lot links, and
 * shipments still in transit). A live recall marks every affected lot recalled (its scan page
 * turns red), records an EPCIS event with the persistent disposition `recalled`, and keeps the
 * list of affected organisations for notification; a mock recall only computes and keeps the report.
 */
@Injectable()
export class RecallsService {
  constructor(
    @InjectRepository(Recall) private readonly recalls: Repository<Recall>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly chain: SupplyChainService,
    private readonly events: EventsService,
    private readonly batches: BatchesService,
    private readonly organizations: OrganizationsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calendar: WorkingCalendarService,
  ) {}

  async create(actor: Actor, dto: CreateRecallDto): Promise<RecallView> {
    const started = process.hrtime.bigint();
    const root = await this.chain.recallableBy(actor, dto.batchId);
    const mode = dto.mock ? 'mock' : 'recall';
    const trace = await this.chain.traceFrom(root.id, 'down', RECALL_DEPTH);
    const lotIds = trace.lots.map((l) => l.id);
    const shipments = await this.chain.shipmentsFrom(lotIds);
    const inTransit = shipments.filter((s) => s.status === 'in_transit');
    const lotsById = new Map(trace.lots.map((l) => [l.id, l]));
    const orgNames = await this.organizations.summaries([...trace.lots.map((l) => l.organization.id), ...shipments.map((s) => s.toOrganizationId)]);
    const name = (id: string) => orgNames.get(id)?.name ?? id;

    // One row per critical tracking event: a received shipment is two events (shipping at the
    // shipper, receiving at the receiver), each with its own date and place.
    const rows: ReportRow[] = [];
    const rootLot = lotsById.get(root.id)!;
    rows.push(this.row(rootLot, { date: rootLot.producedOn, eventType: 'origin 生产', source: rootLot.organization.name, destination: '', referenceDocument: '', quantity: rootLot.quantity }));
    for (const s of shipments) {
      const from = lotsById.get(s.fromBatchId)!;
      rows.push(this.row(from, {
        date: s.shippedAt.toISOString(), eventType: s.status === 'in_transit' ? 'shipping 发货（在途）' : 'shipping 发货',
        source: `${from.organization.name} · ${from.lotCode}`, destination: name(s.toOrganizationId),
        referenceDocument: s.referenceDocument ?? s.eventID,
        quantity: { value: formatDecimal(s.quantityValue), unit: s.quantityUnit },
      }));
    }
    for (const e of trace.events) {
      const to = lotsById.get(e.to);
      const from = lotsById.get(e.from);
      if (!to || !from) continue;
      rows.push(this.row(to, {
        date: e.eventTime,
        eventType: STEP_NAMES[e.kind === 'transformation' ? e.transformationKind ?? 'processing' : e.kind] ?? e.kind,
        source: `${from.organization.name} · ${from.lotCode}`,
        destination: to.organization.name,
        referenceDocument: e.referenceDocument ?? e.eventID,
        quantity: e.quantity,
      }));
    }
    const affected = this.affectedOrganizations(trace.lots, inTransit.map((s) => ({
      organizationId: s.toOrganizationId, name: name(s.toOrganizationId), quantity: { value: formatDecimal(s.quantityValue), unit: s.quantityUnit },
    })));
    const organizationIds = [...new Set([...affected.map((o) => o.organizationId), ...(actor.organizationId ? [actor.organizationId] : [])])];

    const graded = mode === 'recall' && dto.grade ? await this.deadlinesFor(dto.grade, dto.discoveredAt) : null;
    const { recall, changed } = await this.dataSource.transaction(async (m) => {
      let changedIds: string[] = [];
      let eventId: string | null = null;
      const recallId = (await m.query('SELECT gen_random_uuid() AS id') as { id: string }[])[0].id;
      if (mode === 'recall') {
        changedIds = await this.batches.markRecalled(m, lotIds, `召回 recall ${recallId}: ${dto.reason}`);
        const recorded = await this.events.record(m, recallEvent(this.config.publicBaseUrl, {
          eventTime: new Date(), lots: trace.lots.map((l) => l.lotUri), recallId, reason: dto.reason,
        }), { recordedBy: actor.organizationId, batchIds: lotIds, organizationIds, regionCodes: [...new Set(trace.lots.map((l) => l.regionCode))] });
        eventId = recorded.eventId;
        await this.audit.record(m, {
          action: 'recall.created', subject: { type: 'recalls', id: recallId }, organizationId: root.organizationId, regionCode: root.regionCode,
          details: { batchId: root.id, reason: dto.reason, lots: lotIds.length, recalled: changedIds.length },
        });
        await this.notifyAffected(m, recallId, root, affected, dto.reason);
      }
      const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
      const saved = await m.save(m.create(Recall, {
        id: recallId, batchId: root.id, regionCode: root.regionCode, initiatedByOrganizationId: actor.organizationId,
        initiatedByRole: actor.role, mode, reason: dto.reason, lotCount: lotIds.length, batchIds: lotIds, recalledBatchIds: changedIds,
        organizationIds, affectedOrganizations: affected, rows, epcisEventId: eventId, durationMs, ...graded,
      }));
      return { recall: saved, changed: changedIds };
    });
    announceBatchChanged(null, changed);
    if (mode === 'recall') this.notifications.deliverSoon();
    return this.view(recall, trace.lots, closeOut(recall.affectedOrganizations, new Map()));
  }

  private async deadlinesFor(grade: RecallGrade, discovered: string | undefined): Promise<Partial<Recall>> {
    const discoveredAt = discovered ? new Date(discovered) : new Date();
    if (discoveredAt.getTime() > Date.now() + 60_000) {
      throw new DomainError('VALIDATION_FAILED', 'discoveredAt must not be in the future', { field: 'discoveredAt', rule: 'not_future' });
    }
    const { startBy, finishBy } = recallDeadlines(grade, discoveredAt, await this.calendar.calendar());
    const calendarVerified = await this.calendar.trustworthy(chinaDate(discoveredAt), finishBy);
    return { grade, discoveredAt, startBy, finishBy, calendarVerified };
  }

  /**
   * An affected organisation accounts for the recalled product it had: recovered, disposed, sold
   * through (one unit). Confirming again replaces the account, until the recall is closed.
   */
  async confirm(actor: Actor, id: string, dto: RecallConfirmationDto): Promise<RecallView> {
    const recall = await this.findReadable(actor, id);
    const orgId = actor.organizationId;
    if (!orgId || !recall.affectedOrganizations.some((o) => o.organizationId === orgId) || !canWriteAs(actor, orgId)) {
      throw new DomainError('FORBIDDEN', "Only an affected organisation's org_admin or operator confirms its quantities");
    }
    if (recall.mode !== 'recall') throw new DomainError('RECALL_NOT_LIVE', 'A mock recall has no close-out', { rule: 'live_only' });
    const [recovered, disposed, soldThrough] = (['recovered', 'disposed', 'soldThrough'] as const).map((f) => amountField(dto[f], f));
    const unit = recovered.unit;
    for (const [name, q] of [['disposed', disposed], ['soldThrough', soldThrough]] as const) {
      if (q.unit !== unit) throw new DomainError('VALIDATION_FAILED', `${name}.unit must be the same as recovered.unit (${unit})`, { field: `${name}.unit`, rule: 'same_unit' });
    }
    await this.dataSource.transaction(async (m) => {
      const locked = await m.findOne(Recall, { where: { id: recall.id }, lock: { mode: 'pessimistic_write' } });
      if (locked?.closedAt) throw new DomainError('RECALL_CLOSED', 'This recall is closed', { rule: 'open_only' });
      await m.save(m.create(RecallConfirmation, {
        recallId: recall.id, organizationId: orgId, unit, recovered: recovered.value, disposed: disposed.value, soldThrough: soldThrough.value, note: dto.note?.trim() ?? '',
      }));
    });
    return this.get(actor, id);
  }

  /** Closes the recall once every affected organisation's account balances with what it had. */
  async close(actor: Actor, id: string): Promise<RecallView> {
    const recall = await this.findReadable(actor, id);
    const initiator = !!actor.organizationId && actor.organizationId === recall.initiatedByOrganizationId && canWriteAs(actor, actor.organizationId);
    if (!initiator && !isAdmin(actor) && !(regulatorPrefix(actor) && canRead(actor, '', [recall.regionCode]))) {
      throw new DomainError('FORBIDDEN', 'Only the initiator, a regulator of the region or an admin closes a recall');
    }
    if (recall.mode !== 'recall') throw new DomainError('RECALL_NOT_LIVE', 'A mock recall has no close-out', { rule: 'live_only' });
    if (recall.closedAt) return this.get(actor, id);
    await this.dataSource.transaction(async (m) => {
      await m.findOne(Recall, { where: { id: recall.id }, lock: { mode: 'pessimistic_write' } });
      const lines = closeOut(recall.affectedOrganizations, await this.confirmations(m, recall.id));
      const open = lines.filter((l) => !l.balanced);
      if (open.length) {
        throw new DomainError('RECALL_NOT_BALANCED', `${open.length} affected organisation(s) have not accounted for what they had: ${open.map((l) => l.name).join(', ')}`, {
          rule: 'balanced', organizations: open.map((l) => ({ organizationId: l.organizationId, name: l.name, distributed: l.distributed, confirmed: l.confirmed })),
        });
      }
      await m.update(Recall, { id: recall.id }, { closedAt: new Date() });
      await this.audit.record(m, {
        action: 'recall.closed', subject: { type: 'recalls', id: recall.id }, organizationId: recall.initiatedByOrganizationId, regionCode: recall.regionCode,
        details: { organizations: lines.length, finishBy: recall.finishBy },
      });
    });
    return this.get(actor, id);
  }

  /**
   * Open recalls past their finish day: the region's regulators and the initiator hear of each once.
   * Returns the ids alerted (the scheduler calls this; safe to run twice).
   */
  async alertOverdue(now = new Date()): Promise<string[]> {
    const today = chinaDate(now);
    const alerted = await this.dataSource.transaction(async (m) => {
      const due = await m.createQueryBuilder(Recall, 'r').setLock('pessimistic_write').setOnLocked('skip_locked')
        .where('r.closed_at IS NULL AND r.finish_by IS NOT NULL AND r.overdue_alerted_at IS NULL AND r.finish_by < :today', { today })
        .limit(500).getMany();
      for (const r of due) {
        await m.update(Recall, { id: r.id }, { overdueAlertedAt: now });
        await this.notifications.notify(m, {
          organizationId: r.initiatedByOrganizationId ?? r.organizationIds[0], regionCode: r.regionCode, kind: 'recall.overdue',
          subject: { type: 'recalls', id: r.id },
          payload: { recallId: r.id, grade: r.grade, finishBy: r.finishBy, batchId: r.batchId },
        });
      }
      return due.map((r) => r.id);
    });
    if (alerted.length) this.notifications.deliverSoon();
    return alerted;
  }

  /** Live recalls of a region started in [from, to] (public notices: no access check). */
  inRegion(regionPrefix: string, from: string, to: string): Promise<Recall[]> {
    return this.recalls.createQueryBuilder('r')
      .where("r.mode = 'recall' AND r.region_code LIKE :prefix", { prefix: `${regionPrefix}%` })
      .andWhere("(r.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN :from AND :to", { from, to })
      .orderBy('r.created_at', 'DESC').limit(500).getMany();
  }

  /** The newest live recall reaching this lot, if any (the scan page links to its notice). */
  async latestReaching(batchId: string): Promise<Recall | null> {
    if (!isUuid(batchId)) return null;
    return this.recalls.createQueryBuilder('r')
      .where("r.mode = 'recall' AND :id = ANY (r.batch_ids)", { id: batchId })
      .orderBy('r.created_at', 'DESC').getOne();
  }

  private async confirmations(m: EntityManager, recallId: string): Promise<Map<string, { unit: string; recovered: string; disposed: string; soldThrough: string }>> {
    const rows = await m.find(RecallConfirmation, { where: { recallId } });
    return new Map(rows.map((r) => [r.organizationId, {
      unit: r.unit, recovered: formatDecimal(r.recovered), disposed: formatDecimal(r.disposed), soldThrough: formatDecimal(r.soldThrough),
    }]));
  }

  /**
   * Every affected organisation hears of the recall (notification + signed webhooks), and so do the
   * regulators of the recalled lot's region — in the recall's transaction, delivered after commit.
   */
  private async notifyAffected(m: EntityManager, recallId: string, root: { id: string; organizationId: string; regionCode: string; lotCode: string },
    affected: AffectedOrganization[], reason: string): Promise<void> {
    const subject = { type: 'recalls', id: recallId };
    await this.notifications.notify(m, {
      organizationId: root.organizationId, regionCode: root.regionCode, kind: 'recall.created', subject,
      payload: { recallId, batchId: root.id, lotCode: root.lotCode, reason },
    });
    for (const org of affected) {
      if (org.organizationId === root.organizationId) continue;
      await this.notifications.notify(m, {
        organizationId: org.organizationId, kind: 'recall.affected', subject,
        payload: { recallId, batchId: root.id, reason, lots: org.lots, quantities: org.quantities },
      });
    }
  }

  async get(actor: Actor, id: string): Promise<RecallView> {
    const recall = await this.findReadable(actor, id);
    const lots = await this.chain.describe(recall.batchIds.map((batchId) => ({ batchId, depth: 0 })));
    return this.view(recall, lots, closeOut(recall.affectedOrganizations, await this.confirmations(this.dataSource.manager, recall.id)));
  }

  async list(actor: Actor): Promise<{ items: RecallSummary[] }> {
    const qb = this.recalls.createQueryBuilder('r').select([
      'r.id', 'r.mode', 'r.batchId', 'r.reason', 'r.createdAt', 'r.durationMs', 'r.lotCount', 'r.epcisEventId',
    ]);
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('r.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere(':org = ANY(r.organization_ids)', { org: actor.organizationId });
    const rows = await qb.orderBy('r.created_at', 'DESC').limit(100).getMany();
    return {
      items: rows.map((r) => ({
        id: r.id, mode: r.mode, batchId: r.batchId, reason: r.reason, createdAt: r.createdAt.toISOString(),
        durationMs: r.durationMs, lotCount: r.lotCount, epcisEventID: r.epcisEventId,
      })),
    };
  }

  async report(actor: Actor, id: string, format: 'html' | 'csv' | 'xlsx', sort?: string, order?: string): Promise<{ body: string | Buffer; contentType: string; filename: string }> {
    const recall = await this.findReadable(actor, id);
    const column = sort === undefined ? 'date' : sort;
    if (!isReportColumn(column)) {
      throw new DomainError('VALIDATION_FAILED', `sort must be one of ${REPORT_COLUMNS.map((c) => c.key).join(', ')}`, { field: 'sort', rule: 'enum' });
    }
    if (order !== undefined && order !== 'asc' && order !== 'desc') {
      throw new DomainError('VALIDATION_FAILED', 'order must be asc or desc', { field: 'order', rule: 'enum' });
    }
    const rows = sortRows(recall.rows, column, (order ?? 'asc') as SortOrder);
    const filename = `${recall.mode === 'mock' ? 'mock-recall' : 'recall'}-${recall.id.slice(0, 8)}.${format}`;
    if (format === 'csv') return { body: reportCsv(rows), contentType: 'text/csv; charset=utf-8', filename };
    if (format === 'html') {
      return {
        body: reportHtml({
          id: recall.id, mode: recall.mode, reason: recall.reason, createdAt: recall.createdAt.toISOString(), durationMs: recall.durationMs,
          lotCount: recall.lotCount, affectedOrganizations: recall.affectedOrganizations,
        }, rows, column, (order ?? 'asc') as SortOrder),
        contentType: 'text/html; charset=utf-8',
        filename,
      };
    }
    return { body: await this.xlsx(recall, rows), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
  }

  /** Streaming writer, inline strings: several times faster than the in-memory workbook for large reports. */
  private async xlsx(recall: Recall, rows: ReportRow[]): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => { sink.on('end', resolve); sink.on('error', reject); });
    const book = new (excel().stream.xlsx.WorkbookWriter)({ stream: sink, useStyles: true, useSharedStrings: false });
    book.created = recall.createdAt;
    const sheet = book.addWorksheet(recall.mode === 'mock' ? '模拟召回' : '召回', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = REPORT_COLUMNS.map((c) => ({ header: c.title, key: c.key, width: c.key === 'lotUri' ? 48 : c.key === 'date' ? 26 : 18 }));
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: rows.length + 1, column: REPORT_COLUMNS.length } };
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const r of rows) sheet.addRow({ ...r, quantity: Number(r.quantity) }).commit();
    sheet.commit();
    const info = book.addWorksheet('摘要 Summary');
    for (const line of [
      ['recall', recall.id], ['mode', recall.mode], ['reason', recall.reason], ['created', recall.createdAt.toISOString()],
      ['duration ms', recall.durationMs], ['lots', recall.lotCount],
      ...recall.affectedOrganizations.map((o) => [o.name, `${o.lots} lots`, Object.entries(o.quantities).map(([u, v]) => `${v} ${u}`).join(' + ')]),
    ]) info.addRow(line).commit();
    info.commit();
    await book.commit();
    await done;
    return Buffer.concat(chunks);
  }

  private async findReadable(actor: Actor, id: string): Promise<Recall> {
    const recall = isUuid(id) ? await this.recalls.findOneBy({ id }) : null;
    const member = !!actor.organizationId && !!recall?.organizationIds.includes(actor.organizationId);
    if (recall && (member || canRead(actor, '', [recall.regionCode]))) return recall;
    throw new DomainError('NOT_FOUND', 'Recall not found');
  }

  private row(lot: LotView, f: { date: string; eventType: string; source: string; destination: string; referenceDocument: string; quantity: { value: string; unit: string } }): ReportRow {
    return {
      lot: lot.lotCode, lotUri: lot.lotUri, product: lot.product.name, quantity: f.quantity.value, unit: f.quantity.unit,
      location: lot.regionName, date: f.date, eventType: f.eventType, source: f.source, destination: f.destination, referenceDocument: f.referenceDocument,
    };
  }

  private affectedOrganizations(lots: LotView[], inTransit: { organizationId: string; name: string; quantity: { value: string; unit: string } }[]): AffectedOrganization[] {
    const byOrg = new Map<string, { name: string; lots: number; sums: Map<string, Decimal>; inTransit: boolean }>();
    const add = (orgId: string, name: string, q: { value: string; unit: string }, lot: boolean) => {
      const entry = byOrg.get(orgId) ?? { name, lots: 0, sums: new Map<string, Decimal>(), inTransit: false };
      if (lot) entry.lots++;
      else entry.inTransit = true;
      entry.sums.set(q.unit, (entry.sums.get(q.unit) ?? ZERO).plus(decimal(q.value)));
      byOrg.set(orgId, entry);
    };
    for (const l of lots) add(l.organization.id, l.organization.name, l.quantity, true);
    for (const s of inTransit) add(s.organizationId, s.name, s.quantity, false);
    return [...byOrg.entries()].map(([organizationId, e]) => ({
      organizationId, name: e.name, lots: e.lots, inTransit: e.inTransit,
      quantities: Object.fromEntries([...e.sums.entries()].map(([unit, total]) => [unit, formatDecimal(total)])),
    }));
  }

  private view(r: Recall, lots: LotView[], lines: CloseOutLine[]): RecallView {
    const recalled = new Set(r.recalledBatchIds);
    const base = `/api/v1/recalls/${r.id}/report`;
    return {
      id: r.id,
      mode: r.mode,
      batchId: r.batchId,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      durationMs: r.durationMs,
      lotCount: r.lotCount,
      recalledLotCount: r.recalledBatchIds.length,
      eventCount: r.rows.length,
      affectedOrganizations: r.affectedOrganizations,
      lots: lots.map((l) => ({
        id: l.id, lotCode: l.lotCode, organizationId: l.organization.id, product: l.product.name, quantity: l.quantity,
        status: recalled.has(l.id) ? 'recalled' : l.status,
      })),
      epcisEventID: r.epcisEventId,
      report: { html: `${base}.html`, csv: `${base}.csv`, xlsx: `${base}.xlsx` },
      grade: r.grade ? { level: r.grade, name: RECALL_GRADES[r.grade as RecallGrade].name } : null,
      discoveredAt: r.discoveredAt?.toISOString() ?? null,
      deadlines: r.startBy && r.finishBy ? { startBy: r.startBy.toISOString(), finishBy: r.finishBy, calendarVerified: !!r.calendarVerified } : null,
      startedOnTime: r.startBy ? r.createdAt.getTime() <= r.startBy.getTime() : null,
      closedAt: r.closedAt?.toISOString() ?? null,
      overdue: !r.closedAt && !!r.finishBy && Date.now() >= endOfChinaDay(r.finishBy).getTime(),
      closeOut: lines,
    };
  }
}

/** A confirmed amount: like a quantity, but zero is a fine answer (nothing sold through). */
function amountField(q: { value?: unknown; unit?: unknown } | undefined, field: string): Quantity {
  if (typeof q?.value === 'string' && /^0+(\.0+)?$/.test(q.value)) return { ...parseQuantity({ value: '1', unit: q.unit }, field), value: '0' };
  return parseQuantity(q, field);
}
