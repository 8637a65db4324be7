import { Logger } from '@nestjs/common';
import type { EntityManager, EntityMetadata, ObjectLiteral } from 'typeorm';
import { currentAuditActor } from './audit-context';
import { queueAuditEntry } from './audit-log';
import { AuditContent, rowDigest } from './domain/audit-chain';

/**
 * Tables whose changes are NOT audited row by row:
 * - audit_log itself and audit_pending (its entries not yet chained); audit_checkpoints (signed statements about the chain's head: recording one
 *   would move the head);
 * - high-volume or internal bookkeeping: scan_events and scan_clients (consumer scans), outbox (job
 *   relay), idempotency_keys (stored responses), label_renders (render progress), webhook_deliveries
 *   (delivery attempts), trace_codes (one row per printed label; the print run that issues them is
 *   audited, with its serial range), organic_codes (one row per 有机码; the allocation that records them and the
 *   print run that takes them are audited), console_sessions (a row per login, touched as it is used),
 *   console_submissions (double-submit guards of console forms), sample_judge_chunks and
 *   sample_consequence_steps (progress of the judge and consequence jobs; what they change is
 *   audited), certificate_sequences and sampling_counters (number counters; the numbered
 *   certificate or sample is audited with its number);
 * - derived data: the indicator aggregates (indicator_deltas written by triggers, folded into
 *   indicator_cells, indicator_org_months and indicator_rollup) are recomputable from the audited
 *   rows they count, so neither the deltas nor the folds are audited;
 * - reference data loaded by the seed command: food_categories.
 */
const AUDIT_EXCLUDED_TABLES: ReadonlySet<string> = new Set([
  'audit_log', 'audit_pending', 'audit_checkpoints', 'scan_events', 'scan_clients', 'outbox', 'idempotency_keys', 'label_renders', 'webhook_deliveries',
  'trace_codes', 'organic_codes', 'console_sessions', 'console_submissions', 'sample_judge_chunks', 'sample_consequence_steps', 'certificate_sequences',
  'sampling_counters', 'indicator_deltas', 'indicator_cells', 'indicator_org_months', 'indicator_rollup', 'food_categories',
  // An event's key row repeats three columns of the event row, whose insert is audited whole.
  'epcis_event_ids',
]);

export type AuditVerb = 'insert' | 'update' | 'remove';

/** One changed row: its id and its stored state before and after (column name → value). */
export interface RowChange {
  id: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The row as written, keyed by column name (the digest input). */
export function rowOf(metadata: EntityMetadata, ...sources: (ObjectLiteral | undefined)[]): Record<string, unknown> | null {
  const present = sources.filter((s): s is ObjectLiteral => !!s);
  if (present.length === 0) return null;
  const row: Record<string, unknown> = {};
  for (const column of metadata.columns) {
    for (const source of present) {
      const value: unknown = column.getEntityValue(source);
      if (value !== undefined) row[column.databaseName] = value;
    }
  }
  return row;
}

/** The subject id of an entity: its primary key (parts joined by `:`), or null when not known. */
export function idOf(metadata: EntityMetadata, ...sources: (ObjectLiteral | undefined)[]): string | null {
  for (const source of sources) {
    if (!source) continue;
    const parts = metadata.primaryColumns.map((c) => c.getEntityValue(source) as unknown);
    if (parts.every((p) => p !== undefined && p !== null)) return parts.map(String).join(':');
  }
  return null;
}

/** A row's primary key as TypeORM takes it (property path → value), from a raw row (column names, as RETURNING gives them). */
export function keyOfRaw(metadata: EntityMetadata, raw: ObjectLiteral): ObjectLiteral | null {
  const key: ObjectLiteral = {};
  for (const column of metadata.primaryColumns) {
    const value: unknown = raw[column.databaseName];
    if (value === undefined || value === null) return null;
    key[column.propertyPath] = value;
  }
  return key;
}

/** The primary key of a table with a single key column, from its value. */
export function keyOfValue(metadata: EntityMetadata, value: unknown): ObjectLiteral {
  if (metadata.primaryColumns.length !== 1) throw new Error(`${metadata.tableName} has a composite key: name its rows by key objects`);
  return { [metadata.primaryColumns[0].propertyPath]: value };
}

const READ_CHUNK = 5000;

function storedColumns(metadata: EntityMetadata) {
  return metadata.columns.filter((c) => c.isSelect && !c.isVirtual);
}

function hydrated(manager: EntityManager, columns: ReturnType<typeof storedColumns>, raw: ObjectLiteral): Record<string, unknown> {
  const driver = manager.dataSource.driver;
  const row: Record<string, unknown> = {};
  for (const column of columns) row[column.databaseName] = driver.prepareHydratedValue(raw[column.databaseName], column) as unknown;
  return row;
}

/**
 * Writes audit entries for changed rows, the same way whichever path changed them (entity save,
 * update or delete by criteria, raw SQL), in the transaction of the change.
 */
export class RowAuditor {
  private readonly logger = new Logger('Audit');
  /** Organisation → region, for subjects without a region of their own (products, api keys). */
  private readonly orgRegions = new Map<string, string | null>();

  audited(metadata: EntityMetadata): boolean {
    return !AUDIT_EXCLUDED_TABLES.has(metadata.tableName);
  }

  /**
   * The rows with these keys as the database now holds them (read in the caller's transaction and,
   * with `lock`, locked for update), by subject id. Values are hydrated as TypeORM hydrates an
   * entity, so that an entry's after-digest equals the next change's before-digest whichever path
   * makes that change.
   */
  async storedRows(manager: EntityManager, metadata: EntityMetadata, keys: ObjectLiteral[], lock = false): Promise<Map<string, Record<string, unknown>>> {
    const found = new Map<string, Record<string, unknown>>();
    const [key, ...more] = metadata.primaryColumns;
    for (let start = 0; start < keys.length; start += READ_CHUNK) {
      const chunk = keys.slice(start, start + READ_CHUNK);
      if (more.length === 0) {
        for (const [id, row] of await this.rowsByKey(manager, metadata, chunk.map((k) => key.getEntityValue(k) as unknown), lock)) found.set(id, row);
        continue;
      }
      const qb = manager.createQueryBuilder(metadata.target, 'subject').whereInIds(chunk);
      if (lock) qb.setLock('pessimistic_write');
      for (const entity of await qb.getMany()) found.set(idOf(metadata, entity)!, rowOf(metadata, entity)!);
    }
    return found;
  }

  /** One array parameter instead of TypeORM's one parameter per id (thousands in a bulk write). */
  private async rowsByKey(manager: EntityManager, metadata: EntityMetadata, values: unknown[], lock: boolean): Promise<[string, Record<string, unknown>][]> {
    const driver = manager.dataSource.driver;
    const key = metadata.primaryColumns[0];
    const columns = storedColumns(metadata);
    const raws = await manager.query(
      `SELECT ${columns.map((c) => driver.escape(c.databaseName)).join(', ')} FROM ${driver.escape(metadata.tablePath)}
       WHERE ${driver.escape(key.databaseName)} = ANY($1::${driver.normalizeType(key)}[])${lock ? ' FOR UPDATE' : ''}`, [values]) as ObjectLiteral[];
    return raws.map((raw) => [String(raw[key.databaseName] as string), hydrated(manager, columns, raw)]);
  }

  /**
   * The rows a write returned (`RETURNING *`), hydrated exactly as storedRows reads them: what a
   * read right after the statement would find, without that read. Null when a row lacks a column
   * (the write returned only some): then read them back.
   */
  returnedRows(manager: EntityManager, metadata: EntityMetadata, returned: ObjectLiteral[]): Map<string, Record<string, unknown>> | null {
    if (metadata.primaryColumns.length !== 1) return null;
    const columns = storedColumns(metadata);
    if (!returned.every((raw) => columns.every((c) => Object.prototype.hasOwnProperty.call(raw, c.databaseName)))) return null;
    const key = metadata.primaryColumns[0].databaseName;
    return new Map(returned.map((raw) => [String(raw[key] as string), hydrated(manager, columns, raw)]));
  }

  /** Queues one entry per changed row, with the current actor. */
  async record(manager: EntityManager, metadata: EntityMetadata, verb: AuditVerb, changes: RowChange[], details: Record<string, unknown> | null = null): Promise<void> {
    const regionless = changes.filter((c) => !(c.after ?? c.before ?? {}).region_code);
    if (regionless.length > 1) await this.loadRegions(manager, regionless.map((c) => this.ownerOf(metadata, c)));
    for (const change of changes) await this.append(manager, metadata, verb, change, details);
  }

  /** The organisation owning the subject: the organisation itself, or the row's organization_id. */
  private ownerOf(metadata: EntityMetadata, change: RowChange): string | null {
    if (metadata.tableName === 'organizations') return change.id;
    return ((change.after ?? change.before ?? {}).organization_id as string | undefined) ?? null;
  }

  private async append(manager: EntityManager, metadata: EntityMetadata, verb: AuditVerb, change: RowChange, details: Record<string, unknown> | null): Promise<void> {
    const actor = currentAuditActor();
    const row = change.after ?? change.before ?? {};
    const organizationId = this.ownerOf(metadata, change);
    const regionCode = (row.region_code as string | undefined) ?? await this.regionOf(manager, organizationId);
    const content: AuditContent = {
      at: new Date().toISOString(),
      actorKind: actor.kind,
      actorId: actor.id,
      actorOrgId: actor.organizationId,
      action: `${metadata.tableName}.${verb}`,
      subjectType: metadata.tableName,
      subjectId: change.id ?? '*',
      organizationId,
      regionCode,
      beforeDigest: rowDigest(change.before),
      afterDigest: rowDigest(change.after),
      details,
    };
    // A write outside a transaction has already committed: it is chained on its own.
    if (!manager.queryRunner?.isTransactionActive) this.logger.warn({ msg: 'audited write outside a transaction', action: content.action });
    await queueAuditEntry(manager, content);
  }

  private async regionOf(manager: EntityManager, organizationId: string | null): Promise<string | null> {
    if (!organizationId) return null;
    if (!this.orgRegions.has(organizationId)) await this.loadRegions(manager, [organizationId]);
    return this.orgRegions.get(organizationId) ?? null;
  }

  /** Caches the regions of these organisations (one query for a bulk write's many owners). */
  private async loadRegions(manager: EntityManager, organizationIds: (string | null)[]): Promise<void> {
    const missing = [...new Set(organizationIds)].filter((id): id is string => !!id && !this.orgRegions.has(id));
    if (missing.length === 0) return;
    // The one read of another feature's table: the audit log is cross-cutting by nature.
    const rows = await manager.query('SELECT id, region_code FROM organizations WHERE id = ANY($1::uuid[])', [missing]) as { id: string; region_code: string }[];
    if (this.orgRegions.size + missing.length > 10_000) this.orgRegions.clear();
    const found = new Map(rows.map((r) => [r.id, r.region_code]));
    for (const id of missing) this.orgRegions.set(id, found.get(id) ?? null);
  }
}
