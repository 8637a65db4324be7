import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { parseUscc } from '../../../libs/codes';
import { ImportProblem, importRejected } from '../../../libs/csv';
import { DomainError } from '../../../libs/errors';
import { isUuid } from '../../common/ids';
import { auditedQuery } from '../audit';
import { type ImportReport, runRegistryImport, sameValue } from '../marks';
import type { Actor } from '../auth';
import { ClaimAuthorisation } from './domain/gi-claim-rules';
import {
  AUTHORISATION_COLUMNS, parseAuthorisationsCsv, parseRecordsCsv, RawAuthorisationRow, RECORD_COLUMNS, rowError, toCsv,
} from './domain/gi-csv';
import { AuthorisationTerms, date, GiRecordInput, normalizeAuthorisationTerms, normalizeGiRecord, parseRegime, RawGiRecord, text } from './domain/gi-inputs';
import { GiRegime, parseRegistrationNumber } from './domain/gi-record-rules';
import { GiAuthorisation } from './gi-authorisation.entity';
import { toClaimAuthorisation } from './gi-claims.service';
import { GiRecord } from './gi-record.entity';
import { assertClaimsFit, assertMayWriteArea, assertNoOverlap, GiService, lockAuthorisationWriters, mayAuthorise } from './gi.service';

export type { ImportReport };

const CHUNK = 1000;
const RECORD_FIELDS: (keyof GiRecordInput)[] = [
  'productName', 'holderUscc', 'holderName', 'areaCodes', 'areaText', 'boundingBox', 'specReference', 'announcementNumber',
  'announcedOn', 'chinaEu', 'status', 'revokedOn', 'revokedReason',
];

const keyOf = (regime: string, number: string) => `${regime}|${number}`;

/**
 * CSV import and export of GI records and authorisations. An import checks every row first and
 * writes nothing when any row is wrong (the answer lists each row's problems); otherwise it writes
 * all rows in one transaction. Rows are matched on their natural keys — (regime, registration
 * number) and (GI, organisation, valid from) — so importing the same file again changes nothing.
 */
@Injectable()
export class GiImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly gi: GiService,
  ) {}

  async importRecords(actor: Actor, csv: string, dryRun: boolean): Promise<ImportReport> {
    const { rows, problems, rowCount } = parseRecordsCsv(csv);
    const revokedIds: string[] = [];
    const report = await runRegistryImport<GiRecordInput, GiRecord>(this.dataSource, {
      rejection: 'GI_IMPORT_REJECTED', rowCount, problems, rows, rowError, keyField: 'registrationNumber',
      check: (raw: RawGiRecord) => {
        const input = normalizeGiRecord(raw);
        assertMayWriteArea(actor, input.areaCodes);
        return { input, key: keyOf(input.regime, input.registrationNumber), label: input.registrationNumber };
      },
      existing: (m, inputs) => this.recordsByKey(m, inputs.map((i) => [i.regime, i.registrationNumber]), true),
      change: (current, input) => {
        assertMayWriteArea(actor, current.areaCodes);
        if (current.status === 'revoked' && input.status === 'active') {
          throw new DomainError('GI_REVOKED', 'This GI is revoked; a revoked record is not reinstated by import', { field: 'status' });
        }
        if (RECORD_FIELDS.every((f) => sameValue(current[f], input[f]))) return null;
        const { regime: _r, registrationNumber: _n, ...fields } = input;
        return fields;
      },
      insert: async (m, inserts) => {
        for (let i = 0; i < inserts.length; i += CHUNK) await m.insert(GiRecord, inserts.slice(i, i + CHUNK));
      },
      update: async (m, current, fields) => {
        await m.update(GiRecord, { id: current.id }, fields);
        if (current.status === 'active' && fields.status === 'revoked') revokedIds.push(current.id);
      },
    }, dryRun);
    for (const id of revokedIds) await this.gi.announceClaimsChanged({ giId: id });
    return report;
  }

  async importAuthorisations(actor: Actor, csv: string, dryRun: boolean): Promise<ImportReport> {
    const { rows, problems, rowCount } = parseAuthorisationsCsv(csv);
    const errors: ImportProblem[] = [...problems];
    interface Parsed { row: number; regime: GiRegime; number: string; organization: string; terms: AuthorisationTerms; revoked: { on: string; reason: string | null } | null }
    const parsed: Parsed[] = [];
    for (const { row, raw } of rows) {
      try {
        parsed.push(parseAuthorisationRow(row, raw));
      } catch (error) {
        errors.push(rowError(row, error));
      }
    }
    // Organisations by id or USCC, in one query.
    const ids = parsed.filter((p) => isUuid(p.organization)).map((p) => p.organization);
    const usccs = parsed.filter((p) => !isUuid(p.organization)).map((p) => p.organization);
    const orgs = await this.gi.organizationsByAny(ids, usccs);

    const report: ImportReport = { rows: rowCount, created: 0, updated: 0, unchanged: 0, dryRun };
    const changedAuthIds: string[] = [];
    await this.dataSource.transaction(async (m) => {
      const gis = await this.recordsByKey(m, parsed.map((p) => [p.regime, p.number]), false);
      // One writer per GI (taken in id order, so two imports cannot deadlock).
      const giIds = [...new Set([...gis.values()].map((g) => g.id))].sort();
      await lockAuthorisationWriters(m, giIds);
      const all = giIds.length ? await m.createQueryBuilder(GiAuthorisation, 'a').where('a.gi_id = ANY(:ids)', { ids: giIds }).getMany() : [];
      const byPair = new Map<string, ClaimAuthorisation[]>();
      const entities = new Map<string, GiAuthorisation>();
      for (const a of all) {
        const pair = `${a.giId}|${a.organizationId}`;
        byPair.set(pair, [...(byPair.get(pair) ?? []), toClaimAuthorisation(a)]);
        entities.set(`${pair}|${a.validFrom}`, a);
      }
      const inserts: Partial<GiAuthorisation>[] = [];
      const updates: { id: string; terms: AuthorisationTerms; revoked: Parsed['revoked'] }[] = [];
      for (const p of parsed) {
        try {
          const gi = gis.get(keyOf(p.regime, p.number));
          if (!gi) throw new DomainError('NOT_FOUND', `No ${p.regime} record ${p.number}; import it first`, { field: 'registrationNumber' });
          assertMayWriteArea(actor, gi.areaCodes);
          const org = orgs.get(p.organization);
          if (!org || !mayAuthorise(actor, org)) throw new DomainError('NOT_FOUND', `Organisation ${p.organization} not found`, { field: 'organization' });
          const pair = `${gi.id}|${org.id}`;
          const current = entities.get(`${pair}|${p.terms.validFrom}`);
          const others = byPair.get(pair) ?? [];
          if (!current) {
            if (gi.status === 'revoked') throw new DomainError('GI_REVOKED', 'A revoked GI takes no new authorised users', { field: 'registrationNumber' });
            assertNoOverlap(others, p.terms, null);
            const id = `new-${p.row}`;
            byPair.set(pair, [...others, { id, ...p.terms, status: p.revoked ? 'revoked' : 'active', revokedOn: p.revoked?.on ?? null }]);
            entities.set(`${pair}|${p.terms.validFrom}`, { id } as GiAuthorisation);
            inserts.push({
              giId: gi.id, organizationId: org.id, validFrom: p.terms.validFrom, validTo: p.terms.validTo,
              quotaValue: p.terms.yearlyQuota?.value ?? null, quotaUnit: p.terms.yearlyQuota?.unit ?? null,
              status: p.revoked ? 'revoked' : 'active', revokedOn: p.revoked?.on ?? null, revokedReason: p.revoked?.reason ?? null,
            });
            continue;
          }
          if (current.id.startsWith('new-')) throw new DomainError('DUPLICATE_IN_FILE', 'Another row has the same GI, organisation and valid_from', { field: 'validFrom' });
          const now = toClaimAuthorisation(current);
          if (now.status === 'revoked' && !p.revoked) {
            throw new DomainError('GI_AUTHORISATION_REVOKED', 'This authorisation is revoked; add a new one rather than reinstating it', { field: 'status' });
          }
          const same = now.validTo === p.terms.validTo && JSON.stringify(now.yearlyQuota) === JSON.stringify(p.terms.yearlyQuota)
            && (now.status === 'revoked') === !!p.revoked;
          if (same) {
            report.unchanged++;
            continue;
          }
          if (now.status === 'revoked') throw new DomainError('GI_AUTHORISATION_REVOKED', 'A revoked authorisation cannot be changed', { field: 'status' });
          assertNoOverlap(others, p.terms, current.id);
          await assertClaimsFit(m, current.id, p.terms);
          updates.push({ id: current.id, terms: p.terms, revoked: p.revoked });
        } catch (error) {
          errors.push(rowError(p.row, error));
        }
      }
      if (errors.length) throw importRejected('GI_IMPORT_REJECTED', rowCount, errors);
      report.created = inserts.length;
      report.updated = updates.length;
      if (dryRun) return;
      // One statement per 5,000 rows (column arrays through unnest), not one per entity.
      for (let i = 0; i < inserts.length; i += 5 * CHUNK) {
        const chunk = inserts.slice(i, i + 5 * CHUNK);
        const col = <K extends keyof GiAuthorisation>(k: K) => chunk.map((r) => r[k] ?? null);
        await auditedQuery(m,
          `INSERT INTO gi_authorisations (gi_id, organization_id, valid_from, valid_to, quota_value, quota_unit, status, revoked_on, revoked_reason)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::date[], $5::numeric[], $6::varchar[], $7::varchar[], $8::date[], $9::varchar[])
           RETURNING id`,
          [col('giId'), col('organizationId'), col('validFrom'), col('validTo'), col('quotaValue'), col('quotaUnit'), col('status'), col('revokedOn'), col('revokedReason')],
          { target: GiAuthorisation, verb: 'insert' },
        );
      }
      for (const u of updates) {
        await m.update(GiAuthorisation, { id: u.id }, {
          validTo: u.terms.validTo, quotaValue: u.terms.yearlyQuota?.value ?? null, quotaUnit: u.terms.yearlyQuota?.unit ?? null,
          ...(u.revoked ? { status: 'revoked' as const, revokedOn: u.revoked.on, revokedReason: u.revoked.reason } : {}),
        });
        changedAuthIds.push(u.id);
      }
    });
    for (const id of changedAuthIds) await this.gi.announceClaimsChanged({ authorisationId: id });
    return report;
  }

  async exportRecords(): Promise<string> {
    const rows = await this.dataSource.getRepository(GiRecord).find({ order: { regime: 'ASC', registrationNumber: 'ASC' } });
    return toCsv(RECORD_COLUMNS, rows.map((g) => ({
      regime: g.regime, registration_number: g.registrationNumber, product_name: g.productName, holder_uscc: g.holderUscc,
      holder_name: g.holderName, area_codes: g.areaCodes.join(' '), area_text: g.areaText,
      bbox_min_lat: g.boundingBox?.minLat ?? null, bbox_min_lng: g.boundingBox?.minLng ?? null,
      bbox_max_lat: g.boundingBox?.maxLat ?? null, bbox_max_lng: g.boundingBox?.maxLng ?? null,
      spec_reference: g.specReference, announcement_number: g.announcementNumber, announced_on: g.announcedOn,
      china_eu: g.chinaEu, status: g.status, revoked_on: g.revokedOn, revoked_reason: g.revokedReason,
    })));
  }

  /** Authorisations of every GI, or of one; a regulator gets those of organisations in its region. */
  async exportAuthorisations(actor: Actor, giId?: string): Promise<string> {
    const qb = this.dataSource.getRepository(GiAuthorisation).createQueryBuilder('a')
      .innerJoin(GiRecord, 'g', 'g.id = a.gi_id')
      .select(['a.id', 'a.giId', 'a.organizationId', 'a.validFrom', 'a.validTo', 'a.quotaValue', 'a.quotaUnit', 'a.status', 'a.revokedOn', 'a.revokedReason'])
      .addSelect(['g.regime', 'g.registration_number'])
      .orderBy('g.registration_number').addOrderBy('a.valid_from').addOrderBy('a.id');
    if (giId) qb.andWhere('a.gi_id = :giId', { giId: (await this.gi.find(giId)).id });
    const { entities, raw } = await qb.getRawAndEntities<{ g_regime: string; registration_number: string }>();
    const orgs = await this.gi.organizationsById(entities.map((a) => a.organizationId));
    const rows = entities.map((a, i) => ({ a, key: raw[i], org: orgs.get(a.organizationId) }))
      .filter((r) => r.org && mayAuthorise(actor, r.org));
    return toCsv(AUTHORISATION_COLUMNS, rows.map(({ a, key, org }) => {
      const quota = toClaimAuthorisation(a).yearlyQuota;
      return {
        regime: key.g_regime, registration_number: key.registration_number, organization: org!.uscc ?? a.organizationId,
        organization_name: org!.name, valid_from: a.validFrom, valid_to: a.validTo, quota_value: quota?.value ?? null,
        quota_unit: quota?.unit ?? null, status: a.status, revoked_on: a.revokedOn, revoked_reason: a.revokedReason,
      };
    }));
  }

  private async recordsByKey(m: EntityManager, keys: [string, string][], lock: boolean): Promise<Map<string, GiRecord>> {
    if (keys.length === 0) return new Map();
    const qb = m.createQueryBuilder(GiRecord, 'g')
      .where('(g.regime, g.registration_number) IN (SELECT * FROM unnest(CAST(:regimes AS varchar[]), CAST(:numbers AS varchar[])))', {
        regimes: keys.map((k) => k[0]), numbers: keys.map((k) => k[1]),
      });
    if (lock) qb.orderBy('g.id').setLock('pessimistic_write');
    const rows = await qb.getMany();
    return new Map(rows.map((g) => [keyOf(g.regime, g.registrationNumber), g]));
  }
}

function parseAuthorisationRow(row: number, raw: RawAuthorisationRow) {
  const regime = parseRegime(raw.regime);
  const number = parseRegistrationNumber(regime, raw.registrationNumber);
  const cell = raw.organization.trim();
  if (!cell) throw new DomainError('VALIDATION_FAILED', 'organization (id or USCC) is required', { field: 'organization', rule: 'required' });
  const organization = isUuid(cell) ? cell.toLowerCase() : parseUscc(cell, { acceptFailedChecks: true }).value;
  const terms = normalizeAuthorisationTerms(raw);
  const status = raw.status.trim().toLowerCase() || 'active';
  if (status !== 'active' && status !== 'revoked') throw new DomainError('VALIDATION_FAILED', 'status must be active or revoked', { field: 'status', rule: 'enum' });
  const revokedOn = date(raw.revokedOn, 'revokedOn', status === 'revoked');
  if (status === 'revoked' && revokedOn! < terms.validFrom) {
    throw new DomainError('VALIDATION_FAILED', 'revokedOn must not be before validFrom', { field: 'revokedOn', rule: 'after_valid_from' });
  }
  return {
    row, regime, number, organization, terms,
    revoked: status === 'revoked' ? { on: revokedOn!, reason: text(raw.revokedReason, 'revokedReason', 500) } : null,
  };
}
