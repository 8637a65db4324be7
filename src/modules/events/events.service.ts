import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { parseDigitalLinkPath } from '../../../libs/codes';
import {
  bareCbvWord, contextPrefixes, documentEvents, epcisDocument, eventEpcClasses, eventEpcs, eventHashId, preHashString,
} from '../../../libs/epcis';
import { DomainError } from '../../../libs/errors';
import { isRealInstant } from '../../common/dates';
import { cursorCodec, keysetPage, Page } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { auditedQuery } from '../audit';
import { Actor, isAdmin, regulatorPrefix } from '../auth';
import { CaptureJob } from './capture-job.entity';
import { EventContexts } from './domain/event-contexts';
import { EpcisEventRecord } from './epcis-event.entity';
import { TIANFU_PREFIX, tianfuNamespace } from './domain/platform-events';
import { QueryEventsDto } from './dto/query-events.dto';
import { eventsThroughKeys } from './event-keys';

/** What the platform knows about an event beyond its EPCIS content: who recorded it and whom it concerns. */
export interface EventScope {
  /** The capturing organisation, or the one the platform recorded the event for (null: the admin). */
  recordedBy: string | null;
  batchIds: string[];
  organizationIds: string[];
  regionCodes: string[];
}

/** An event on record under an eventID, as a correction or a new capture meets it. */
export interface RecordedEvent {
  id: string;
  eventId: string;
  hashId: string;
  recordedBy: string | null;
  errorDeclaration: Record<string, unknown> | null;
  regionCodes: string[];
}

/** A row ready for insertion (platform events and captured ones). */
export interface EventRow extends EventScope {
  eventId: string;
  hashId: string;
  eventType: string;
  action: string | null;
  bizStep: string | null;
  disposition: string | null;
  eventTime: string;
  bizLocation: string | null;
  epcs: string[];
  epcClasses: string[];
  source: 'platform' | 'capture';
  captureId: string | null;
  document: Record<string, unknown>;
}

/** Most events POST /events/hash computes in one request. */
export const HASH_LIMIT = 10_000;

const list = (value: string | undefined): string[] =>
  value ? value.split('|').map((v) => v.trim()).filter((v) => v.length > 0) : [];

function instant(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || !isRealInstant(value)) {
    throw new DomainError('VALIDATION_FAILED', `${field} must be an ISO 8601 instant with an offset`, { field, rule: 'datetime' });
  }
  return new Date(value).toISOString();
}

/**
 * The EPCIS event store: records platform events (with their CBV 2.0 hash IDs), stores captured
 * ones in bulk, and answers SimpleEventQuery-style queries scoped to the caller.
 */
/** Events newest first by (event_time, id); the page token is `nextPageToken` (EPCIS) or `cursor`. */
const EVENTS_CURSOR = cursorCodec('events', 'instant');

@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(EpcisEventRecord) private readonly events: Repository<EpcisEventRecord>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Prefixes our own events use (for hashing and for the @context of exports). */
  get prefixes(): Record<string, string> {
    return { [TIANFU_PREFIX]: tianfuNamespace(this.config.publicBaseUrl) };
  }

  /** The row for one event: hash ID, filter columns, the JSON-LD with eventID first. */
  toRow(event: Record<string, unknown>, scope: EventScope, source: 'platform' | 'capture', captureId: string | null,
    prefixes: Record<string, string> = this.prefixes): EventRow {
    const hashId = eventHashId(event, prefixes);
    const eventId = typeof event.eventID === 'string' && event.eventID ? event.eventID : hashId;
    const { eventID: _ignored, ...rest } = event;
    const bizLocation = (event.bizLocation as { id?: unknown } | undefined)?.id;
    return {
      eventId,
      hashId,
      eventType: String(event.type),
      action: typeof event.action === 'string' ? event.action : null,
      bizStep: bareCbvWord(event.bizStep),
      disposition: bareCbvWord(event.disposition),
      eventTime: new Date(String(event.eventTime)).toISOString(),
      bizLocation: typeof bizLocation === 'string' ? bizLocation : null,
      epcs: eventEpcs(event),
      epcClasses: eventEpcClasses(event),
      recordedBy: scope.recordedBy,
      batchIds: [...new Set(scope.batchIds)],
      organizationIds: [...new Set(scope.organizationIds)],
      regionCodes: [...new Set(scope.regionCodes)],
      source,
      captureId,
      document: { eventID: eventId, ...rest },
    };
  }

  /** Records one platform event inside the caller's transaction; returns its row id and eventID. */
  async record(manager: EntityManager, event: Record<string, unknown>, scope: EventScope): Promise<{ id: string; eventId: string }> {
    const row = this.toRow(event, scope, 'platform', null);
    const [inserted] = await this.insertRows(manager, [row]);
    if (!inserted) throw new DomainError('CONFLICT', 'This event is already on record', { eventID: row.eventId });
    return inserted;
  }

  /**
   * Inserts rows in one statement; rows whose eventID their recorder already has on record are
   * skipped (as are repeats within `rows`: the first one counts). Returns the inserted rows' ids and
   * eventIDs, in the order given. The key row (epcis_event_ids: the unique eventID per recorder, the
   * id others reference) and the event row (partitioned epcis_events) are written together.
   */
  async insertRows(manager: EntityManager, rows: EventRow[]): Promise<{ id: string; eventId: string }[]> {
    if (rows.length === 0) return [];
    // No conflict target: both unique indexes of the keys (per recorder, and the admin's null recorder) apply.
    return await auditedQuery<{ id: string; eventId: string }>(manager,
      `WITH input AS (
         SELECT DISTINCT ON (r."eventId", r."recordedBy") gen_random_uuid() AS id, e.ord, r.*
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(row, ord),
           jsonb_to_record(e.row) AS r("eventId" varchar, "hashId" varchar, "eventType" varchar, action varchar,
             "bizStep" varchar, disposition varchar, "eventTime" timestamptz, "bizLocation" varchar, epcs text[], "epcClasses" text[],
             "recordedBy" uuid, "batchIds" uuid[], "organizationIds" uuid[], "regionCodes" text[], source varchar, "captureId" uuid, document jsonb)
         ORDER BY r."eventId", r."recordedBy", e.ord),
       keys AS (
         INSERT INTO epcis_event_ids (id, event_id, recorded_by) SELECT id, "eventId", "recordedBy" FROM input ORDER BY ord
         ON CONFLICT DO NOTHING
         RETURNING id, record_time)
       INSERT INTO epcis_events (id, record_time, event_id, hash_id, event_type, action, biz_step, disposition, event_time, biz_location,
         epcs, epc_classes, recorded_by, batch_ids, organization_ids, region_codes, source, capture_id, document)
       SELECT k.id, k.record_time, r."eventId", r."hashId", r."eventType", r.action, r."bizStep", r.disposition, r."eventTime", r."bizLocation",
         r.epcs, r."epcClasses", r."recordedBy", r."batchIds", r."organizationIds", r."regionCodes", r.source, r."captureId", r.document
       FROM input r JOIN keys k ON k.id = r.id
       ORDER BY r.ord
       RETURNING id, event_id AS "eventId"`,
      [JSON.stringify(rows)], { target: EpcisEventRecord, verb: 'insert' });
  }

  /** Every organisation's events under these eventIDs (in the caller's transaction). */
  async recordedUnder(manager: EntityManager, eventIds: string[]): Promise<RecordedEvent[]> {
    if (eventIds.length === 0) return [];
    return await manager.query(
      `SELECT e.id, e.event_id AS "eventId", e.hash_id AS "hashId", e.recorded_by AS "recordedBy", e.error_declaration AS "errorDeclaration",
         e.region_codes AS "regionCodes"
       FROM ${eventsThroughKeys('k', 'e')} WHERE k.event_id = ANY($1::varchar[])`,
      [[...new Set(eventIds)]],
    ) as RecordedEvent[];
  }

  /** Sets the error declaration of one recorded event (the caller checked who may). */
  async declareError(manager: EntityManager, id: string, declaration: Record<string, unknown>): Promise<void> {
    await auditedQuery(manager,
      'UPDATE epcis_events SET error_declaration = $2 WHERE id = $1 AND record_time = (SELECT record_time FROM epcis_event_ids WHERE id = $1) RETURNING id',
      [id, JSON.stringify(declaration)],
      { target: EpcisEventRecord, verb: 'update', subjects: [id] });
  }

  /**
   * SimpleEventQuery over the events the caller may read, newest first, with the namespace prefixes
   * their extension fields use (each capture's own, ours for platform events; see EventContexts).
   */
  async query(actor: Actor, q: QueryEventsDto): Promise<Page<Record<string, unknown>> & { prefixes: Record<string, string> }> {
    const limit = q.perPage ?? q.limit ?? 50;
    const qb = this.events.createQueryBuilder('e');
    const prefix = regulatorPrefix(actor);
    if (!prefix && !isAdmin(actor) && !actor.organizationId) return { items: [], nextCursor: null, prefixes: { ...this.prefixes } };
    const visible = (alias: string) => (prefix
      ? `EXISTS (SELECT 1 FROM unnest(${alias}.region_codes) rc WHERE rc LIKE :prefix)`
      : isAdmin(actor) ? 'TRUE' : `:org = ANY(${alias}.organization_ids)`);
    qb.andWhere(visible('e'), { prefix: `${prefix}%`, org: actor.organizationId });
    // One event captured by several organisations (shipper and receiver) is one result: of identical
    // records the caller's own is shown, else the first recorded.
    const own = (alias: string) => (actor.organizationId ? `coalesce(${alias}.recorded_by = :org, false)` : 'false');
    qb.andWhere(`NOT EXISTS (SELECT 1 FROM ${eventsThroughKeys('dk', 'd')} WHERE dk.event_id = e.event_id AND d.hash_id = e.hash_id AND d.id <> e.id
      AND d.error_declaration IS NOT DISTINCT FROM e.error_declaration AND ${visible('d')}
      AND (${own('d')} > ${own('e')} OR (${own('d')} = ${own('e')} AND (d.record_time, d.id) < (e.record_time, e.id))))`);
    const types = list(q.eventType);
    if (types.length) qb.andWhere('e.event_type IN (:...types)', { types });
    const ge = instant(q.GE_eventTime, 'GE_eventTime');
    if (ge) qb.andWhere('e.event_time >= :ge', { ge });
    const lt = instant(q.LT_eventTime, 'LT_eventTime');
    if (lt) qb.andWhere('e.event_time < :lt', { lt });
    const steps = list(q.EQ_bizStep).map((s) => bareCbvWord(s) ?? s);
    if (steps.length) qb.andWhere('e.biz_step IN (:...steps)', { steps });
    const epcs = list(q.MATCH_epc);
    if (epcs.length) qb.andWhere('e.epcs && :epcs::text[]', { epcs });
    const classes = list(q.MATCH_epcClass);
    if (classes.length) qb.andWhere('e.epc_classes && :classes::text[]', { classes });
    const locations = list(q.EQ_bizLocation);
    if (locations.length) qb.andWhere('e.biz_location IN (:...locations)', { locations });
    const position = EVENTS_CURSOR.decode(q.nextPageToken ?? q.cursor, q.nextPageToken ? 'nextPageToken' : 'cursor');
    if (position) {
      qb.andWhere('(e.event_time, e.id) < (:cursorTime, :cursorId)', { cursorTime: position.sort, cursorId: position.id });
    }
    const rows = await qb.orderBy('e.event_time', 'DESC').addOrderBy('e.id', 'DESC').take(limit + 1).getMany();
    const contexts = new EventContexts(this.prefixes);
    const captured = await this.capturePrefixes(rows.map((r) => r.captureId));
    const page = keysetPage(EVENTS_CURSOR, rows, limit, (r) => ({ sort: r.eventTime.toISOString(), id: r.id }),
      (r) => contexts.add(this.view(r), r.source === 'platform' ? this.prefixes : captured.get(r.captureId ?? '') ?? {}));
    return { ...page, prefixes: contexts.prefixes };
  }

  /** The @context prefixes of these captures (those captured before they were kept have none). */
  private async capturePrefixes(captureIds: (string | null)[]): Promise<Map<string, Record<string, string>>> {
    const ids = [...new Set(captureIds.filter((id): id is string => id !== null))];
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(CaptureJob).createQueryBuilder('c')
      .select(['c.id', 'c.prefixes']).where('c.id IN (:...ids)', { ids }).getMany();
    return new Map(rows.map((r) => [r.id, r.prefixes ?? {}]));
  }

  /**
   * CBV 2.0 hash IDs of the events of a posted body (an EPCISDocument, a query document, one event or
   * an array of events), with the pre-hash strings: what partners compare with their own computation.
   */
  hashes(body: unknown): { prefixes: Record<string, string>; events: { index: number; eventID: string | null; hashID: string; preHashString: string }[] } {
    let events: unknown[];
    let prefixes: Record<string, string> = {};
    if (Array.isArray(body)) events = body;
    else if (body !== null && typeof body === 'object' && 'epcisBody' in body) {
      events = documentEvents(body as Record<string, unknown>);
      prefixes = contextPrefixes((body as Record<string, unknown>)['@context']);
    } else events = [body];
    if (events.length === 0 || events.length > HASH_LIMIT) {
      throw new DomainError('VALIDATION_FAILED', `Post 1 to ${HASH_LIMIT} events (an EPCISDocument, one event or an array of events)`, {
        field: '/', rule: events.length === 0 ? 'required' : 'max', limit: HASH_LIMIT,
      });
    }
    return {
      prefixes,
      events: events.map((event, index) => {
        if (event === null || typeof event !== 'object' || Array.isArray(event) || typeof (event as { type?: unknown }).type !== 'string') {
          throw new DomainError('VALIDATION_FAILED', `Event ${index} must be an object with a type`, { field: `/${index}/type`, rule: 'required' });
        }
        const e = event as Record<string, unknown>;
        return {
          index,
          eventID: typeof e.eventID === 'string' ? e.eventID : null,
          hashID: eventHashId(e, prefixes),
          preHashString: preHashString(e, prefixes),
        };
      }),
    };
  }

  /** Events concerning any of these lots, oldest first (reports, scan page). */
  async forBatches(batchIds: string[]): Promise<EpcisEventRecord[]> {
    if (batchIds.length === 0) return [];
    return this.events.createQueryBuilder('e').where('e.batch_ids && :ids::uuid[]', { ids: batchIds })
      .orderBy('e.event_time', 'ASC').getMany();
  }

  /** An event as EPCIS JSON-LD (with recordTime and any error declaration). */
  view(r: EpcisEventRecord): Record<string, unknown> {
    return {
      ...r.document,
      recordTime: r.recordTime.toISOString(),
      ...(r.errorDeclaration ? { errorDeclaration: r.errorDeclaration } : {}),
    };
  }

  /** A page of events as an EPCIS 2.0 document declaring their prefixes (validates against the official schema). */
  asDocument(events: Record<string, unknown>[], prefixes: Record<string, string> = this.prefixes): Record<string, unknown> {
    return epcisDocument(events, prefixes);
  }

  /** The @context prefixes of a captured document (hashing expands extension keys with them). */
  documentPrefixes(document: Record<string, unknown>): Record<string, string> {
    return contextPrefixes(document['@context']);
  }

  documentEvents(document: Record<string, unknown>): Record<string, unknown>[] {
    return documentEvents(document);
  }

  /** A GS1 Digital Link on our own host → { gtin, lot }; anything else → null. */
  ownLotReference(uri: string): { gtin: string; lot: string } | null {
    const base = this.config.publicBaseUrl;
    if (!uri.startsWith(`${base}/01/`)) return null;
    try {
      const parsed = parseDigitalLinkPath(uri.slice(base.length));
      return parsed.lot ? { gtin: parsed.gtin, lot: parsed.lot } : null;
    } catch {
      return null;
    }
  }

  withTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
