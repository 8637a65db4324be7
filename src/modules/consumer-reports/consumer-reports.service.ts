import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type SharpModule from 'sharp';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { isTraceCodeFormat, normalizeTraceCodeInput } from '../../../libs/codes';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { listPage, Page } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AuditService } from '../audit';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix } from '../auth';
import { BatchesService } from '../batches';
import { TraceCodesService } from '../codes';
import { FileStore } from '../files';
import { NotificationsService } from '../notifications';
import { networkPrefix } from '../scan/domain';
import { ConsumerReport, ConsumerReportAlert, ReportPhoto } from './consumer-report.entity';
import {
  maskPhone, normalisePhone, phoneConsentText, photoProblem, raisesAlert, REPORT_CATEGORIES, REPORT_STATUSES, ReportCategory, ReportStatus,
} from './domain/report-rules';
import { CreateConsumerReportDto, FigureGroup, ReplyDto, ReportPhotoDto, TriageDto } from './dto/consumer-report.dto';

/** The client behind a request, as far as a report needs it: never stored as such. */
export interface ReportClient {
  ip: string | undefined;
  userAgent: string | undefined;
}

export interface ConsumerReportView {
  id: string;
  code: string;
  batchId: string;
  organizationId: string;
  regionCode: string;
  category: ReportCategory;
  categoryName: string;
  text: string;
  photos: { contentType: string; bytes: number; sha256: string; url: string }[];
  /** Full to the producer and the regulators (the reporter agreed to that); null when none or deleted. */
  phone: string | null;
  phoneMasked: string | null;
  personalDataDeletedAt: string | null;
  retainUntil: string;
  status: ReportStatus;
  statusName: string;
  triageNote: string;
  triagedAt: string | null;
  reply: string | null;
  repliedAt: string | null;
  firstRepliedAt: string | null;
  createdAt: string;
}

/** What the reporter sees through the follow-up link (nothing of anyone else). */
export interface FollowUpView {
  code: string;
  categoryName: string;
  text: string;
  photos: number;
  statusName: string;
  triageNote: string;
  reply: string | null;
  repliedAt: string | null;
  createdAt: string;
}

export interface ReportAlertView {
  id: string;
  code: string;
  batchId: string;
  organizationId: string;
  regionCode: string;
  clients: number;
  windowDays: number;
  createdAt: string;
}

export interface ReplyFigures {
  key: string;
  reports: number;
  replied: number;
  /** Median hours from report to the producer's first reply, over the replied reports. */
  medianReplyHours: number | null;
}

/** sharp (libvips) takes about 0.3 s to load: only a report with photos needs it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sharp = (): typeof SharpModule => require('sharp') as typeof SharpModule;

/** Bigger images are refused before decoding (a small file can claim a huge canvas). */
const MAX_INPUT_PIXELS = 40_000_000;
const FOLLOW_UP_TOKEN = /^[A-Za-z0-9_-]{32}$/;

/**
 * Consumer reports (问题反馈): anyone with a package reports a problem with its code; the batch's
 * producer reads and replies, the regulators of the batch's region triage; many distinct clients
 * reporting one code raise a counterfeit alert. The reporter keeps a follow-up link, the only place
 * the reply is shown.
 */
@Injectable()
export class ConsumerReportsService {
  private readonly logger = new Logger(ConsumerReportsService.name);

  constructor(
    @InjectRepository(ConsumerReport) private readonly reports: Repository<ConsumerReport>,
    @InjectRepository(ConsumerReportAlert) private readonly alerts: Repository<ConsumerReportAlert>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly codes: TraceCodesService,
    private readonly batches: BatchesService,
    private readonly files: FileStore,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  consent(): { text: string; retentionDays: number } {
    return { text: phoneConsentText(this.config.consumerReports.retentionDays), retentionDays: this.config.consumerReports.retentionDays };
  }

  /** A keyed hash of the client (network /24 or /48 and browser): tells clients apart without keeping who they are. */
  clientKey(client: ReportClient): string {
    return createHmac('sha256', this.config.secretKey).update(`consumer-report|${networkPrefix(client.ip)}|${client.userAgent ?? ''}`).digest('base64url').slice(0, 24);
  }

  async create(dto: CreateConsumerReportDto, client: ReportClient): Promise<{ id: string; followUpUrl: string; status: ReportStatus; alert: boolean }> {
    const code = normalizeTraceCodeInput(dto.code);
    const traceCode = isTraceCodeFormat(code) ? await this.codes.findByCode(code) : null;
    const batch = traceCode ? await this.batches.byId(traceCode.batchId) : null;
    if (!traceCode || !batch) throw new DomainError('NOT_FOUND', 'Unknown trace code', { field: 'code' });
    const phone = this.phoneOf(dto);
    const photos = await this.cleanPhotos(dto.photos ?? []);
    const token = randomBytes(24).toString('base64url');
    const now = new Date();
    const clientKey = this.clientKey(client);
    const written: string[] = [];
    try {
      const { id, alert } = await this.dataSource.transaction(async (m) => {
        // One code's reports are counted one at a time, so two reports cannot both miss the threshold's alert.
        await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`consumer-report:${code}`]);
        const id = (await m.query('SELECT gen_random_uuid() AS id') as { id: string }[])[0].id;
        const stored: ReportPhoto[] = [];
        for (const [i, bytes] of photos.entries()) {
          const key = `consumer-reports/${id}/${i + 1}.jpg`;
          written.push(key);
          await this.files.write(key, bytes);
          stored.push({ key, contentType: 'image/jpeg', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
        }
        await m.save(m.create(ConsumerReport, {
          id, code, batchId: batch.id, organizationId: batch.organizationId, regionCode: batch.regionCode,
          category: dto.category as ReportCategory, text: dto.text.trim(), photos: stored,
          phone, phoneConsentAt: phone ? now : null, retainUntil: new Date(now.getTime() + this.config.consumerReports.retentionDays * 86_400_000),
          clientKey, followUpHash: sha256(token), createdAt: now,
        }));
        await this.audit.record(m, {
          action: 'consumer_report.created', subject: { type: 'consumer_reports', id }, organizationId: batch.organizationId, regionCode: batch.regionCode,
          details: { code, category: dto.category, photos: stored.length, phone: !!phone },
        });
        await this.notifications.notify(m, {
          organizationId: batch.organizationId, regionCode: batch.regionCode, kind: 'consumer_report.created',
          subject: { type: 'consumer_reports', id }, payload: { reportId: id, code, batchId: batch.id, category: dto.category },
        });
        const alert = await this.checkAlert(m, code, batch);
        return { id, alert };
      });
      this.notifications.deliverSoon();
      return { id, followUpUrl: `${this.config.publicBaseUrl}/t/${code}/feedback/${token}`, status: 'new', alert };
    } catch (error) {
      await this.files.remove(written).catch((cleanup: unknown) => this.logger.error({ msg: 'report photo cleanup failed', keys: written, error: String(cleanup) }));
      throw error;
    }
  }

  /** Raises the counterfeit alert when this report brings the code's distinct clients within the window to the threshold. */
  private async checkAlert(m: EntityManager, code: string, batch: { id: string; organizationId: string; regionCode: string }): Promise<boolean> {
    const { alertClients, alertWindowDays } = this.config.consumerReports;
    const [counted] = await m.query(
      `SELECT count(DISTINCT client_key)::int AS clients,
              EXISTS (SELECT 1 FROM consumer_report_alerts a WHERE a.code = $1 AND a.created_at > now() - make_interval(days => $2)) AS alerted
         FROM consumer_reports WHERE code = $1 AND client_key IS NOT NULL AND created_at > now() - make_interval(days => $2)`,
      [code, alertWindowDays],
    ) as { clients: number; alerted: boolean }[];
    if (!raisesAlert(counted.clients, alertClients, counted.alerted)) return false;
    const alert = await m.save(m.create(ConsumerReportAlert, {
      code, batchId: batch.id, organizationId: batch.organizationId, regionCode: batch.regionCode, clients: counted.clients, windowDays: alertWindowDays,
    }));
    await this.notifications.notify(m, {
      organizationId: batch.organizationId, regionCode: batch.regionCode, kind: 'consumer_report.counterfeit_suspected',
      subject: { type: 'consumer_report_alerts', id: alert.id },
      payload: { alertId: alert.id, code, batchId: batch.id, clients: counted.clients, windowDays: alertWindowDays },
    });
    return true;
  }

  private phoneOf(dto: CreateConsumerReportDto): string | null {
    const raw = dto.phone?.trim();
    if (!raw) return null;
    const phone = normalisePhone(raw);
    if (!phone) throw new DomainError('VALIDATION_FAILED', 'phone must be a mainland mobile number (11 digits)', { field: 'phone', rule: 'mobile' });
    if (dto.phoneConsent !== true) {
      throw new DomainError('VALIDATION_FAILED', 'A phone is kept only with phoneConsent: true (the consent text)', { field: 'phoneConsent', rule: 'consent_required' });
    }
    return phone;
  }

  /**
   * Checks each photo and re-encodes it as JPEG (at most 1600 px, turned upright): the copy kept
   * has no EXIF, GPS position or other metadata (sharp writes none unless asked).
   */
  private async cleanPhotos(photos: ReportPhotoDto[]): Promise<Buffer[]> {
    const cleaned: Buffer[] = [];
    for (const [i, p] of photos.entries()) {
      const bytes = Buffer.from(p.data, 'base64');
      const problem = photoProblem(p.contentType, p.data, bytes);
      if (problem) throw new DomainError('INVALID_PHOTO', `photos[${i}]: ${problem.message}`, { field: `photos[${i}]`, rule: problem.rule });
      try {
        cleaned.push(await sharp()(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
          .rotate().resize({ width: 1600, height: 1600, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer());
      } catch {
        throw new DomainError('INVALID_PHOTO', `photos[${i}]: not a readable image`, { field: `photos[${i}]`, rule: 'image' });
      }
    }
    return cleaned;
  }

  async list(actor: Actor, limit = 50, cursor?: string, status?: string): Promise<Page<ConsumerReportView>> {
    const qb = this.reports.createQueryBuilder('r');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('r.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('r.organization_id = :org', { org: actor.organizationId });
    if (status !== undefined) qb.andWhere('r.status = :status', { status });
    return listPage(qb, 'r', limit, cursor, (r) => this.view(r));
  }

  async get(actor: Actor, id: string): Promise<ConsumerReportView> {
    return this.view(await this.findReadable(actor, id));
  }

  async photo(actor: Actor, id: string, n: string): Promise<{ contentType: string; filename: string; body: Buffer }> {
    const row = await this.findReadable(actor, id);
    const file = /^[1-9]$/.test(n) ? row.photos[Number(n) - 1] : undefined;
    if (!file) throw new DomainError('NOT_FOUND', 'No such photo');
    return { contentType: file.contentType, filename: `report-${row.id.slice(0, 8)}-${n}.jpg`, body: await this.files.readAll(file.key) };
  }

  /** The producer's answer to the reporter (org_admin or operator of the batch's owner); replying again replaces it. */
  async reply(actor: Actor, id: string, dto: ReplyDto): Promise<ConsumerReportView> {
    const found = await this.findReadable(actor, id);
    if (!canWriteAs(actor, found.organizationId)) throw new DomainError('FORBIDDEN', "Only the batch owner's org_admin or operator replies to a report");
    return this.view(await this.dataSource.transaction(async (m) => {
      const row = (await m.findOne(ConsumerReport, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
      const now = new Date();
      row.reply = dto.text.trim();
      row.repliedAt = now;
      row.firstRepliedAt ??= now;
      await m.save(row);
      await this.audit.record(m, {
        action: 'consumer_report.replied', subject: { type: 'consumer_reports', id: row.id }, organizationId: row.organizationId, regionCode: row.regionCode,
      });
      return row;
    }));
  }

  /** A regulator of the report's region (or an admin) triages it: triaged or closed, with a note. */
  async triage(actor: Actor, id: string, dto: TriageDto): Promise<ConsumerReportView> {
    const found = await this.findReadable(actor, id);
    const prefix = regulatorPrefix(actor);
    if (!isAdmin(actor) && !(prefix && found.regionCode.startsWith(prefix))) {
      throw new DomainError('FORBIDDEN', 'Only a regulator of the region triages a report');
    }
    return this.view(await this.dataSource.transaction(async (m) => {
      const row = (await m.findOne(ConsumerReport, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
      const before = row.status;
      row.status = dto.status;
      row.triageNote = dto.note.trim();
      row.triagedAt = new Date();
      row.triagedByOrganizationId = actor.organizationId;
      await m.save(row);
      await this.audit.record(m, {
        action: 'consumer_report.triaged', subject: { type: 'consumer_reports', id: row.id }, organizationId: row.organizationId, regionCode: row.regionCode,
        before: { status: before }, after: { status: row.status }, details: { status: row.status },
      });
      return row;
    }));
  }

  async listAlerts(actor: Actor, limit = 50, cursor?: string): Promise<Page<ReportAlertView>> {
    const qb = this.alerts.createQueryBuilder('a');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('a.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('a.organization_id = :org', { org: actor.organizationId });
    return listPage(qb, 'a', limit, cursor, (a) => ({
      id: a.id, code: a.code, batchId: a.batchId, organizationId: a.organizationId, regionCode: a.regionCode,
      clients: a.clients, windowDays: a.windowDays, createdAt: a.createdAt.toISOString(),
    }));
  }

  /** The reporter's view through the follow-up link; unknown tokens are 404 like unknown codes. */
  async followUp(code: string, token: string): Promise<FollowUpView> {
    const row = FOLLOW_UP_TOKEN.test(token) ? await this.reports.findOneBy({ followUpHash: sha256(token) }) : null;
    if (!row || row.code !== code) throw new DomainError('NOT_FOUND', 'Unknown report');
    return {
      code: row.code, categoryName: REPORT_CATEGORIES[row.category], text: row.text, photos: row.photos.length,
      statusName: REPORT_STATUSES[row.status], triageNote: row.status === 'new' ? '' : row.triageNote,
      reply: row.reply, repliedAt: row.repliedAt?.toISOString() ?? null, createdAt: row.createdAt.toISOString(),
    };
  }

  /**
   * Deletes phone numbers and photos past retention, and client keys past the alert window. Safe to
   * run twice and from several workers (rows are taken with SKIP LOCKED). Returns how many reports
   * lost their personal data.
   */
  async purgeExpired(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const { ids, keys } = await this.dataSource.transaction(async (m) => {
        const rows = await m.query(
          `SELECT id, photos FROM consumer_reports WHERE personal_data_deleted_at IS NULL AND retain_until <= $1
            ORDER BY retain_until LIMIT 200 FOR UPDATE SKIP LOCKED`, [now],
        ) as { id: string; photos: ReportPhoto[] }[];
        if (rows.length === 0) return { ids: [], keys: [] };
        await m.query(
          `UPDATE consumer_reports SET phone = NULL, photos = '[]', personal_data_deleted_at = $2 WHERE id = ANY ($1::uuid[])`,
          [rows.map((r) => r.id), now],
        );
        return { ids: rows.map((r) => r.id), keys: rows.flatMap((r) => r.photos.map((p) => p.key)) };
      });
      if (ids.length === 0) break;
      await this.files.remove(keys);
      total += ids.length;
    }
    await this.dataSource.query(
      `UPDATE consumer_reports SET client_key = NULL WHERE client_key IS NOT NULL AND created_at <= $1::timestamptz - make_interval(days => $2)`,
      [now, this.config.consumerReports.alertWindowDays],
    );
    return total;
  }

  /**
   * Reports and the producers' reply times in [from, to] (China dates), grouped by month, region
   * (the report's county) or organisation: medians cannot be added up like the indicators'
   * numerators, so they are computed here from the reports themselves.
   */
  async replyFigures(actor: Actor, from: string, to: string, groupBy: FigureGroup): Promise<ReplyFigures[]> {
    const params: unknown[] = [from, to];
    let scope = '';
    const prefix = regulatorPrefix(actor);
    if (prefix) {
      params.push(`${prefix}%`);
      scope = `AND region_code LIKE $${params.length}`;
    } else if (!isAdmin(actor)) {
      params.push(actor.organizationId);
      scope = `AND organization_id = $${params.length}`;
    }
    const key = { month: "to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')", region: 'region_code', organization: 'organization_id::text', none: "'all'" }[groupBy];
    const rows = await this.dataSource.query(
      `SELECT ${key} AS key, count(*)::int AS reports, count(first_replied_at)::int AS replied,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_replied_at - created_at)) AS median_seconds
         FROM consumer_reports
        WHERE (created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $1 AND $2 ${scope}
        GROUP BY 1 ORDER BY 1`, params,
    ) as { key: string; reports: number; replied: number; median_seconds: number | null }[];
    return rows.map((r) => ({
      key: r.key, reports: r.reports, replied: r.replied,
      medianReplyHours: r.median_seconds === null ? null : Math.round((Number(r.median_seconds) / 3600) * 10) / 10,
    }));
  }

  /**
   * Every report in [from, to] (China dates) with its hours to the producer's first reply (null: not
   * replied), by month, county, the batch's product category and organisation: the records of the
   * indicator consumer_report_reply_hours (a median, computed from them).
   */
  async replyRecords(q: { from: string; to: string; regionPrefix: string | null; categoryPath: string; organizationId: string | null }): Promise<
    { month: string; regionCode: string; categoryPath: string; organizationId: string; value: number | null; count: number }[]
  > {
    const params: unknown[] = [q.from, q.to];
    const where: string[] = [];
    if (q.regionPrefix) where.push(`r.region_code LIKE $${params.push(`${q.regionPrefix}%`)}`);
    if (q.categoryPath) where.push(`(p.category_path = $${params.push(q.categoryPath)} OR p.category_path LIKE $${params.push(`${q.categoryPath}>%`)})`);
    if (q.organizationId) where.push(`r.organization_id = $${params.push(q.organizationId)}`);
    const rows = await this.dataSource.query(
      `SELECT to_char(r.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, r.region_code AS "regionCode", coalesce(p.category_path, '') AS "categoryPath",
              r.organization_id AS "organizationId", extract(epoch FROM r.first_replied_at - r.created_at) / 3600 AS hours
         FROM consumer_reports r LEFT JOIN batches b ON b.id = r.batch_id LEFT JOIN products p ON p.id = b.product_id
        WHERE (r.created_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $1 AND $2 ${where.map((w) => `AND ${w}`).join(' ')}`, params,
    ) as { month: string; regionCode: string; categoryPath: string; organizationId: string; hours: string | number | null }[];
    return rows.map((r) => ({
      month: r.month, regionCode: r.regionCode, categoryPath: r.categoryPath, organizationId: r.organizationId, value: r.hours === null ? null : Number(r.hours), count: 1,
    }));
  }

  private async findReadable(actor: Actor, id: string): Promise<ConsumerReport> {
    const row = isUuid(id) ? await this.reports.findOneBy({ id }) : null;
    if (row && canRead(actor, row.organizationId, [row.regionCode])) return row;
    throw new DomainError('NOT_FOUND', 'Consumer report not found');
  }

  view(r: ConsumerReport): ConsumerReportView {
    return {
      id: r.id, code: r.code, batchId: r.batchId, organizationId: r.organizationId, regionCode: r.regionCode,
      category: r.category, categoryName: REPORT_CATEGORIES[r.category], text: r.text,
      photos: r.photos.map((p, i) => ({ contentType: p.contentType, bytes: p.bytes, sha256: p.sha256, url: `/api/v1/consumer-reports/${r.id}/photos/${i + 1}` })),
      phone: r.phone, phoneMasked: r.phone ? maskPhone(r.phone) : null,
      personalDataDeletedAt: r.personalDataDeletedAt?.toISOString() ?? null, retainUntil: r.retainUntil.toISOString(),
      status: r.status, statusName: REPORT_STATUSES[r.status], triageNote: r.triageNote, triagedAt: r.triagedAt?.toISOString() ?? null,
      reply: r.reply, repliedAt: r.repliedAt?.toISOString() ?? null, firstRepliedAt: r.firstRepliedAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
