import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { Page, pageRows, PageQueryDto, toPage } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { isUniqueViolation } from '../../common/db-errors';
import { Actor, canRead, canWriteAs, isAdmin, regulatorPrefix, requireOwnOrganization } from '../auth';
import { PhiGateService } from '../farm-inputs';
import { announceBatchChanged } from '../../common/batch-events';
import { dimensionOf, formatDecimal, parseQuantity, Quantity } from '../../../libs/quantity';
import { AuditService, auditedQuery } from '../audit';
import { IdempotencyService } from '../idempotency';
import { NotificationsService } from '../notifications';
import { TestRecordsService } from '../test-records';
import { normalizeSubstance } from '../test-records/domain';
import { Certificate, CertificateEvidence } from './certificate.entity';
import { CertificateCollectionsService } from './certificate-collections.service';
import { checkBasis } from './domain/basis-rules';
import { newCertificateToken, numberingOf } from './domain/certificate-ids';
import { certifiedQuantity, checkIssueDate, fromBaseMilli, retainUntil, styleFor, toBaseMilli } from './domain/issuing';
import { CertificateStyle, CURRENT_TEMPLATE, TemplateVersion, TEMPLATES } from './domain/templates';
import { CertificateContentDto, IssueCertificateDto } from './dto/issue-certificate.dto';
import { lockIssueSubject } from './issue-subject';
import { preparedSql } from '../../common/prepared-statements';
import { todayInChina } from '../../common/dates';

/**
 * formatCertificateNumber in SQL, for the INSERT that takes the sequence's next value (`last_value`)
 * with the `:numberPrefix` of numberingOf: at least 5 digits, never cut.
 */
const NEXT_NUMBER_SQL = ":numberPrefix || lpad(last_value::text, greatest(5, length(last_value::text)), '0')";

const ISSUED_SQL = preparedSql("SELECT coalesce(sum(base_milli), 0)::text AS issued FROM certificates WHERE batch_id = $1 AND status = 'valid'");

function alreadyReissued(): DomainError {
  return new DomainError('CERTIFICATE_ALREADY_REISSUED', 'This voided certificate has already been re-issued', { rule: 'reissue_once' });
}

export interface CertificateView {
  id: string;
  number: string;
  status: Certificate['status'];
  templateVersion: TemplateVersion;
  style: CertificateStyle;
  organizationId: string;
  batchId: string;
  productName: string;
  quantity: { value: string; unit: string };
  origin: string;
  issuer: { name: string; contact: string | null; signedBy: string | null };
  issuedOn: string;
  commitment: string;
  basis: string[];
  evidence: CertificateEvidence;
  replacesId: string | null;
  voided: { at: string; reason: string; by: string } | null;
  retainUntil: string;
  verifyUrl: string;
  createdAt: string;
}

/** The recorded inputs first, then what the issuer added that is not among them (names compared as the basis rule compares them). */
function mergeInputs(recorded: string[], typed: string[]): string[] {
  const seen = new Set(recorded.map(normalizeSubstance));
  return [...recorded, ...typed.filter((name) => {
    const key = normalizeSubstance(name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  })];
}

function askedQuantity(dto: CertificateContentDto): Quantity | undefined {
  return dto.quantity ? parseQuantity(dto.quantity) : undefined;
}

/** What the issuer asks for, after validation, before the transaction. */
interface IssueRequest extends Omit<CertificateContentDto, 'quantity'> {
  batchId: string;
  /** `quantity` parsed: a malformed one is refused before the transaction takes the batch's lock. */
  asked: Quantity | undefined;
  style?: CertificateStyle;
  templateVersion?: string;
  issuedOn?: string;
}

@Injectable()
export class CertificatesService {
  constructor(
    @InjectRepository(Certificate) private readonly certificates: Repository<Certificate>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly testRecords: TestRecordsService,
    private readonly collections: CertificateCollectionsService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly gate: PhiGateService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async issue(actor: Actor, dto: IssueCertificateDto, key?: string): Promise<{ view: CertificateView; replayed: boolean }> {
    const organizationId = requireOwnOrganization(actor);
    const request: IssueRequest = { ...dto, asked: askedQuantity(dto) };
    const outcome = await this.idempotency.run(actor, key, 'POST /api/v1/certificates', dto,
      (manager) => this.issueIn(manager, organizationId, request, null), { claimLast: true });
    announceBatchChanged(null, [outcome.result.batchId]);
    return { view: outcome.result, replayed: outcome.replayed };
  }

  /** A new certificate replacing a voided one: same batch, style and template, new content where given. */
  async reissue(actor: Actor, id: string, dto: CertificateContentDto, key?: string): Promise<{ view: CertificateView; replayed: boolean }> {
    const old = await this.findReadable(actor, id);
    requireOwnOrganization(actor);
    if (!canWriteAs(actor, old.organizationId)) throw new DomainError('FORBIDDEN', 'Only the issuer can re-issue its certificate');
    if (old.status !== 'voided') throw new DomainError('CERTIFICATE_NOT_VOIDED', 'Void the certificate (with a reason) before re-issuing it', { rule: 'void_first' });
    const request: IssueRequest = {
      batchId: old.batchId, style: old.style, templateVersion: CURRENT_TEMPLATE,
      asked: askedQuantity(dto), basis: dto.basis ?? old.basis,
      evidence: dto.evidence ?? { testRecordIds: old.evidence.testRecordIds, qualityControl: old.evidence.qualityControl ?? undefined, inputsUsed: old.evidence.inputsUsed },
      upstreamCollectionIds: dto.upstreamCollectionIds ?? old.evidence.upstream.map((u) => u.collectionId),
      contact: dto.contact ?? old.issuerContact ?? undefined, signedBy: dto.signedBy ?? old.signedBy ?? undefined,
    };
    const outcome = await this.idempotency.run(actor, key, `POST /api/v1/certificates/${old.id}/reissue`, dto, async (manager) => {
      if (await manager.existsBy(Certificate, { replacesId: old.id })) throw alreadyReissued();
      try {
        return await this.issueIn(manager, old.organizationId, request, old.id);
      } catch (error) {
        // A concurrent re-issue of the same certificate won the unique index.
        if (isUniqueViolation(error, 'uq_certificates_replaces')) throw alreadyReissued();
        throw error;
      }
    }, { claimLast: true });
    announceBatchChanged(null, [outcome.result.batchId]);
    return { view: outcome.result, replayed: outcome.replayed };
  }

  private async issueIn(manager: EntityManager, organizationId: string, req: IssueRequest, replacesId: string | null): Promise<CertificateView> {
    const { batch, issuer, product, origin } = await lockIssueSubject(manager, req.batchId, organizationId);
    if (batch.status !== 'active') {
      throw new DomainError('BATCH_NOT_ACTIVE', `A ${batch.status} batch cannot get a certificate`, { field: 'batchId', rule: 'active_batch', status: batch.status });
    }

    const template = TEMPLATES[(req.templateVersion ?? CURRENT_TEMPLATE) as TemplateVersion];
    const style: CertificateStyle = req.style ?? (['purchaser', 'market'].includes(issuer.kind) ? 'purchaser' : 'producer');
    const wording = styleFor(template, style);
    const issuedOn = req.issuedOn ?? todayInChina();
    checkIssueDate(template, issuedOn, batch.producedOn, todayInChina());

    // The safe-interval gate again (records may have been entered since the batch), and what the
    // records say was used: the certificate's inputsUsed holds it whatever the issuer typed (add-only).
    const gateSubject = {
      organizationId: batch.organizationId, siteId: batch.siteId, regionCode: batch.regionCode, crop: product.category, harvestedOn: batch.harvestedOn ?? batch.producedOn,
    };
    const gate = await this.gate.check(manager, gateSubject, null);
    const recorded = await this.gate.analytesUsed(manager, gateSubject, gate);
    const evidence = { ...(req.evidence ?? {}) };
    evidence.inputsUsed = mergeInputs(recorded, evidence.inputsUsed ?? []);
    const tests = await this.testRecords.evidence(manager, organizationId, evidence.testRecordIds ?? []);
    const basis = checkBasis(
      { basis: req.basis ?? [], qualityControl: evidence.qualityControl, inputsUsed: evidence.inputsUsed },
      {
        template, style, batchId: batch.id, issuedOn,
        tests: tests.map((t) => ({ ...t, analytes: t.results.map((r) => normalizeSubstance(r.analyte)) })),
      },
    );
    const upstream = style === 'purchaser'
      ? await this.collections.upstreamFor(manager, organizationId, batch.productId, req.upstreamCollectionIds ?? [])
      : [];
    if (style === 'producer' && req.upstreamCollectionIds?.length) {
      throw new DomainError('UPSTREAM_NOT_APPLICABLE', 'Only a purchaser certificate rests on collected certificates', { field: 'upstreamCollectionIds', rule: 'purchaser_only' });
    }

    const batchQuantity: Quantity = { value: formatDecimal(batch.quantityValue), unit: batch.quantityUnit as Quantity['unit'] };
    const issued = await this.issuedOf(manager, batch.id);
    const certified = certifiedQuantity(req.asked, batchQuantity, fromBaseMilli(issued, dimensionOf(batchQuantity.unit)));

    const certificate = manager.create(Certificate, {
      token: newCertificateToken(), templateVersion: template.version, style, organizationId, batchId: batch.id,
      regionCode: batch.regionCode, productName: product.name, productCategory: product.category,
      quantityValue: certified.quantity.value, quantityUnit: certified.quantity.unit, baseMilli: toBaseMilli(certified.amount),
      origin,
      issuerName: issuer.name, issuerContact: req.contact?.trim() || issuer.phone || null, signedBy: req.signedBy?.trim() || null,
      issuedOn, commitment: wording.commitment, basis,
      evidence: {
        testRecordIds: tests.map((t) => t.id), qualityControl: evidence.qualityControl?.trim() || null,
        inputsUsed: evidence.inputsUsed ?? [], upstream,
      },
      replacesId, status: 'valid', retainUntil: retainUntil(issuedOn, this.config.certificateRetentionMonths),
      voidedAt: null, voidReason: null, voidedBy: null,
    });
    // One INSERT … RETURNING * (audited from the returned row, no read back) that also takes the
    // next number of the region and day: the sequence's row stays locked until COMMIT (numbers have
    // no gaps: a refusal rolls its number back), so it is taken by the last statement that needs it.
    const [sql, params] = manager.createQueryBuilder().insert().into(Certificate)
      .addCommonTableExpression(
        `INSERT INTO certificate_sequences (scope, last_value) VALUES (:scope, 1)
         ON CONFLICT (scope) DO UPDATE SET last_value = certificate_sequences.last_value + 1 RETURNING last_value`, 'numbered')
      .values({ ...certificate, number: () => `(SELECT ${NEXT_NUMBER_SQL} FROM numbered)` })
      .setParameters(numberingOf(batch.regionCode, issuedOn))
      .returning('*').getQueryAndParameters();
    // Prepared: one text (the same columns every time), and planning it cost PostgreSQL a third of running it.
    const [row] = await auditedQuery<{ id: string; number: string; created_at: Date }>(manager, preparedSql(sql), params, { target: Certificate, verb: 'insert' });
    const saved = Object.assign(certificate, { id: row.id, number: row.number, createdAt: row.created_at });
    return this.toView(saved);
  }

  /** The base quantity the batch's valid certificates hold (the caller holds the batch's row lock). */
  private async issuedOf(manager: EntityManager, batchId: string): Promise<string> {
    const [row] = await manager.query(ISSUED_SQL, [batchId]) as { issued: string }[];
    return row.issued;
  }

  /** Voids a valid certificate: its issuer, an admin, or a regulator of the batch's region. Twice → 409. */
  async void(actor: Actor, id: string, reason: string): Promise<CertificateView> {
    const cert = await this.findReadable(actor, id);
    const by = canWriteAs(actor, cert.organizationId) ? 'issuer'
      : isAdmin(actor) ? 'admin'
        : regulatorPrefix(actor) && cert.regionCode.startsWith(regulatorPrefix(actor)!) ? `regulator:${actor.regionCode}` : null;
    if (!by) throw new DomainError('FORBIDDEN', 'Only the issuer, an admin or a regulator of its region can void a certificate');
    const voided = await this.dataSource.transaction((m) => this.voidWhere(m, { id: cert.id }, reason.trim(), by));
    if (voided.length === 0) throw new DomainError('CERTIFICATE_ALREADY_VOIDED', 'This certificate is already voided', { rule: 'void_once' });
    this.notifications.deliverSoon();
    announceBatchChanged(null, [cert.batchId]);
    return this.toView(voided[0]);
  }

  /**
   * Voids every valid certificate of a batch in the caller's transaction (a failed sample, a
   * recall). Idempotent: already voided ones are left as they are. Returns the numbers voided.
   */
  async voidAllForBatch(manager: EntityManager, batchId: string, reason: string, by: string): Promise<string[]> {
    const voided = await this.voidWhere(manager, { batchId }, reason, by);
    if (voided.length > 0) announceBatchChanged(manager, [batchId]);
    return voided.map((c) => c.number);
  }

  /**
   * The conditional UPDATE makes a void happen once, whoever races; each void is audited and the
   * issuer (and the regulators of the batch's region) notified, in the same transaction.
   */
  private async voidWhere(manager: EntityManager, where: { id: string } | { batchId: string }, reason: string, by: string): Promise<Certificate[]> {
    const [column, value] = 'id' in where ? ['id', where.id] : ['batch_id', where.batchId];
    const rows = await auditedQuery<{ id: string }>(manager,
      `UPDATE certificates SET status = 'voided', voided_at = now(), void_reason = $2, voided_by = $3
       WHERE ${column} = $1 AND status = 'valid' RETURNING id`,
      [value, reason, by], { target: Certificate, verb: 'update', subjects: { ...where, status: 'valid' } });
    const voided = rows.length ? await manager.findBy(Certificate, { id: In(rows.map((r) => r.id)) }) : [];
    for (const c of voided) {
      const subject = { type: 'certificates', id: c.id };
      await this.audit.record(manager, {
        action: 'certificate.voided', subject, organizationId: c.organizationId, regionCode: c.regionCode,
        details: { number: c.number, reason, by },
      });
      await this.notifications.notify(manager, {
        organizationId: c.organizationId, regionCode: c.regionCode, kind: 'certificate.voided', subject,
        payload: { certificateId: c.id, number: c.number, batchId: c.batchId, reason, by },
      });
    }
    return voided;
  }

  /** Deleting is allowed only after the retention period, to the issuer's org_admin or an admin. */
  async delete(actor: Actor, id: string): Promise<void> {
    const cert = await this.findReadable(actor, id);
    if (!isAdmin(actor) && !(actor.role === 'org_admin' && actor.organizationId === cert.organizationId)) {
      throw new DomainError('FORBIDDEN', "Only the issuer's org_admin or an admin can delete a certificate record");
    }
    if (todayInChina() <= cert.retainUntil) {
      throw new DomainError('RETENTION_PERIOD', `Certificate records are kept until ${cert.retainUntil}; it cannot be deleted before`, {
        rule: 'retention', retainUntil: cert.retainUntil,
      });
    }
    await this.certificates.delete({ id: cert.id });
    announceBatchChanged(null, [cert.batchId]);
  }

  async get(actor: Actor, id: string): Promise<CertificateView> {
    return this.toView(await this.findReadable(actor, id));
  }

  /** The certificate if the actor may read it (issuer, admin, regulator of its region), else 404. */
  async findReadable(actor: Actor, id: string): Promise<Certificate> {
    const cert = isUuid(id) ? await this.certificates.findOneBy({ id }) : null;
    if (cert && canRead(actor, cert.organizationId, [cert.regionCode])) return cert;
    throw new DomainError('NOT_FOUND', 'Certificate not found');
  }

  async list(actor: Actor, query: PageQueryDto & { batchId?: string; status?: string }): Promise<Page<CertificateView>> {
    const qb = this.certificates.createQueryBuilder('c');
    const prefix = regulatorPrefix(actor);
    if (prefix) qb.andWhere('c.region_code LIKE :prefix', { prefix: `${prefix}%` });
    else if (!isAdmin(actor)) qb.andWhere('c.organization_id = :org', { org: actor.organizationId });
    if (query.batchId) qb.andWhere('c.batch_id = :batchId', { batchId: query.batchId });
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    const limit = query.limit ?? 50;
    const rows = await pageRows(qb, 'c', limit, query.cursor);
    return toPage(rows, limit, (c) => this.toView(c));
  }

  /** Internal lookups for the public page and documents (no access check). */
  byToken(token: string): Promise<Certificate | null> {
    return this.certificates.findOneBy({ token });
  }

  byNumber(manager: EntityManager, number: string): Promise<Certificate | null> {
    return manager.findOneBy(Certificate, { number });
  }

  byIdInternal(manager: EntityManager, id: string): Promise<Certificate | null> {
    return manager.findOneBy(Certificate, { id });
  }

  /** Certificates of a batch, newest first, and which certificate replaced which. */
  async forBatch(batchId: string): Promise<Certificate[]> {
    return this.certificates.find({ where: { batchId }, order: { createdAt: 'DESC' } });
  }

  async replacementOf(id: string): Promise<Certificate | null> {
    return this.certificates.findOneBy({ replacesId: id });
  }

  verifyUrl(token: string): string {
    return `${this.config.publicBaseUrl}/c/${token}`;
  }

  toView(c: Certificate): CertificateView {
    return {
      id: c.id, number: c.number, status: c.status, templateVersion: c.templateVersion, style: c.style,
      organizationId: c.organizationId, batchId: c.batchId, productName: c.productName,
      quantity: { value: formatDecimal(c.quantityValue), unit: c.quantityUnit }, origin: c.origin,
      issuer: { name: c.issuerName, contact: c.issuerContact, signedBy: c.signedBy }, issuedOn: c.issuedOn,
      commitment: c.commitment, basis: c.basis, evidence: c.evidence, replacesId: c.replacesId,
      voided: c.voidedAt ? { at: c.voidedAt.toISOString(), reason: c.voidReason ?? '', by: c.voidedBy ?? '' } : null,
      retainUntil: c.retainUntil, verifyUrl: this.verifyUrl(c.token), createdAt: c.createdAt.toISOString(),
    };
  }
}
