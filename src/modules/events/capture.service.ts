import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { assertEpcisDocument, bareCbvWord, contextPrefixes, documentEvents } from '../../../libs/epcis';
import { DomainError, isDomainError } from '../../../libs/errors';
import { QUEUES } from '../../../libs/queues';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { auditActorOf, runAsAuditActor, AuditService } from '../audit';
import { Actor, ADMIN_ACTOR, isAdmin } from '../auth';
import { BatchesService } from '../batches';
import type { Batch } from '../batches';
import { dimensionOf, parseQuantity, Quantity, unitForUncefact } from '../../../libs/quantity';
import { OutboxService } from '../jobs';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { CaptureErrorBehaviour, CaptureEventError, CaptureJob, captureJobId } from './capture-job.entity';
import { assertYield } from './domain/mass-balance';
import { partyIdOf } from './domain/platform-events';
import { EventRow, EventsService, RecordedEvent } from './events.service';
import { LotGraphService } from './lot-graph.service';
import { SupplyChainService } from './supply-chain.service';

/** Most events one capture may carry (GS1-EPCIS-Capture-Limit). */
export const CAPTURE_LIMIT = 50_000;
const INSERT_CHUNK = 1000;

export interface CaptureView {
  captureID: string;
  url: string;
  createdAt: string;
  finishedAt: string | null;
  running: boolean;
  success: boolean | null;
  captureErrorBehaviour: CaptureErrorBehaviour;
  status: CaptureJob['status'];
  eventCount: number;
  capturedCount: number;
  duplicateCount: number;
  errors: CaptureEventError[];
}

interface ResolvedLot {
  batchId: string;
  organizationId: string;
  regionCode: string;
}

interface QuantityElement {
  epcClass: string;
  quantity?: unknown;
  uom?: unknown;
}

/** A platform lot an event takes from, checked to be the capturer's own; `quantity` when the event states one. */
interface Take {
  batch: Batch;
  quantity: Quantity | null;
  field: string;
}

/** An event that passed the checks that need no lock, waiting for the capture's transaction. */
interface Candidate {
  index: number;
  eventID: string | null;
  row: EventRow;
  /** The eventID an errorDeclaration corrects, and the declaration. */
  correction: { eventId: string; declaration: Record<string, unknown> } | null;
  takes: Take[];
  /** A transformation from platform lots into platform lots: the genealogy links it adds. */
  links: { inputs: Take[]; outputIds: string[] } | null;
}

/** What one capture job works with. */
interface CaptureContext {
  job: CaptureJob;
  actor: Actor;
  prefixes: Record<string, string>;
  lots: Map<string, ResolvedLot>;
  parties: Set<string>;
  /** Lots already checked to be takeable by this capturer, by URI. */
  takeable: Map<string, Promise<Batch>>;
}

/** Thrown inside the capture's transaction to undo it (rollback behaviour with failed events). */
class CaptureRolledBack extends Error {}

/** CBV steps that move goods between parties (besides events with a source or destination list). */
const MOVING_STEPS = new Set(['shipping', 'receiving']);

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const elements = (v: unknown): (QuantityElement | null)[] => (Array.isArray(v) ? v : [])
  .map((q: unknown) => (q && typeof (q as QuantityElement).epcClass === 'string' ? q as QuantityElement : null));

/**
 * EPCIS capture (REST binding): the document is checked against the official schema at once
 * (400 with the schema path), then stored by a job (202 + /capture/{id}). Identifiers on our own
 * host must resolve — lots (`/01/{GTIN}/10/{lot}`) to platform batches, parties (`/party/{id}`)
 * to organisations — else that event fails; everything else is a partner's identifier and is
 * stored as given. An event that takes platform lots (a transformation's inputs, any event moving
 * goods between parties) follows POST /transformations' ownership and mass-balance rules
 * (SupplyChainService); events are stored per capturing organisation, and an errorDeclaration
 * corrects only the capturer's own events. `rollback` (the default) stores nothing when any event
 * fails; `proceed` stores the good ones.
 */
@Injectable()
export class CaptureService {
  constructor(
    @InjectRepository(CaptureJob) private readonly jobs: Repository<CaptureJob>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly graph: LotGraphService,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly organizations: OrganizationsService,
    private readonly outbox: OutboxService,
    private readonly chain: SupplyChainService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async capture(actor: Actor, body: unknown, behaviourHeader: string | undefined): Promise<CaptureView> {
    if (!isAdmin(actor) && !((actor.role === 'org_admin' || actor.role === 'operator') && actor.organizationId)) {
      throw new DomainError('FORBIDDEN', "Only an organisation's org_admin or operator (or an admin) can capture events");
    }
    const behaviour = (behaviourHeader ?? 'rollback').toLowerCase();
    if (behaviour !== 'rollback' && behaviour !== 'proceed') {
      throw new DomainError('VALIDATION_FAILED', 'GS1-Capture-Error-Behaviour must be rollback or proceed', {
        field: 'GS1-Capture-Error-Behaviour', rule: 'enum',
      });
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new DomainError('INVALID_EPCIS', 'The body must be an EPCIS 2.0 JSON-LD document', { field: '/', rule: 'type', schemaPath: '/' });
    }
    assertEpcisDocument(body);
    const count = documentEvents(body as Record<string, unknown>).length;
    if (count > CAPTURE_LIMIT) {
      throw new DomainError('CAPTURE_LIMIT_EXCEEDED', `At most ${CAPTURE_LIMIT} events per capture`, { field: '/epcisBody/eventList', rule: 'max', limit: CAPTURE_LIMIT });
    }
    const job = await this.dataSource.transaction(async (m) => {
      const saved = await m.save(m.create(CaptureJob, {
        organizationId: actor.organizationId, actor: { ...actor }, errorBehaviour: behaviour, document: body as Record<string, unknown>, eventCount: count,
        prefixes: contextPrefixes((body as Record<string, unknown>)['@context']),
      }));
      await this.outbox.add(m, QUEUES.epcisCapture, captureJobId(saved.id), { captureId: saved.id });
      return saved;
    });
    void this.outbox.poke();
    return this.view(job);
  }

  async get(actor: Actor, id: string): Promise<CaptureView> {
    const job = isUuid(id) ? await this.jobs.findOne({ where: { id }, select: {
      id: true, organizationId: true, status: true, errorBehaviour: true, eventCount: true, capturedCount: true,
      duplicateCount: true, errors: true, createdAt: true, finishedAt: true,
    } }) : null;
    if (!job || (!isAdmin(actor) && job.organizationId !== actor.organizationId)) throw new DomainError('NOT_FOUND', 'Capture job not found');
    return this.view(job);
  }

  view(job: CaptureJob): CaptureView {
    const finished = job.status === 'done' || job.status === 'failed';
    return {
      captureID: job.id,
      url: `/api/v1/capture/${job.id}`,
      createdAt: job.createdAt.toISOString(),
      finishedAt: job.finishedAt?.toISOString() ?? null,
      running: !finished,
      success: finished ? job.status === 'done' : null,
      captureErrorBehaviour: job.errorBehaviour,
      status: job.status,
      eventCount: job.eventCount,
      capturedCount: job.capturedCount,
      duplicateCount: job.duplicateCount,
      errors: job.errors ?? [],
    };
  }

  /**
   * The job: resolve, check, store, as the organisation that captured (its ownership rules apply
   * and its key is the audit actor, in the worker too). Idempotent: a finished job is left alone.
   */
  async process(captureId: string): Promise<void> {
    const job = await this.jobs.findOneBy({ id: captureId });
    if (!job || job.status === 'done' || job.status === 'failed' || !job.document) return;
    const actor = job.actor ?? (job.organizationId
      ? { role: 'operator' as const, organizationId: job.organizationId, regionCode: null, apiKeyId: null }
      : ADMIN_ACTOR);
    await runAsAuditActor(auditActorOf(actor), () => this.run(job, actor));
  }

  private async run(job: CaptureJob, actor: Actor): Promise<void> {
    await this.jobs.update({ id: job.id }, { status: 'running' });
    const document = job.document!;
    const events = this.events.documentEvents(document);
    const ctx: CaptureContext = {
      job, actor, prefixes: job.prefixes ?? this.events.documentPrefixes(document),
      lots: await this.resolveLots(events), parties: await this.resolveParties(events), takeable: new Map(),
    };
    const errors: CaptureEventError[] = [];
    const candidates: Candidate[] = [];
    for (const [index, event] of events.entries()) {
      const eventID = typeof event.eventID === 'string' ? event.eventID : null;
      try {
        candidates.push(await this.prepare(ctx, event, index, eventID));
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors.push({ index, eventID, code: error.code, message: error.message });
      }
    }
    const owner = job.organizationId ? await this.organizations.summary(job.organizationId) : null;
    try {
      await this.dataSource.transaction((m) => this.store(m, ctx, candidates, errors, owner?.regionCode ?? null));
    } catch (error) {
      if (!(error instanceof CaptureRolledBack)) throw error;
      errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
      await this.jobs.update({ id: job.id }, { status: 'failed', errors, document: null, finishedAt: new Date() });
    }
  }

  /** Checks that need no lock: identifiers resolve, lots taken are the capturer's own, quantities and yield. */
  private async prepare(ctx: CaptureContext, event: Record<string, unknown>, index: number, eventID: string | null): Promise<Candidate> {
    const uris = this.ownLotUris(event);
    const unknownLot = uris.find((uri) => !ctx.lots.has(uri));
    if (unknownLot) throw this.unknownLot(unknownLot);
    const unknownParty = this.ownPartyIds(event).find((id) => !ctx.parties.has(id));
    if (unknownParty) throw new DomainError('UNKNOWN_ORGANIZATION', `No organisation on this platform has the party id ${unknownParty}`);
    const resolved = uris.map((uri) => ctx.lots.get(uri)!);
    const { job } = ctx;
    const row = this.events.toRow(event, {
      recordedBy: job.organizationId,
      batchIds: resolved.map((l) => l.batchId),
      organizationIds: [...(job.organizationId ? [job.organizationId] : []), ...resolved.map((l) => l.organizationId), ...this.ownPartyIds(event)],
      regionCodes: resolved.map((l) => l.regionCode),
    }, 'capture', job.id, ctx.prefixes);
    let correction: Candidate['correction'] = null;
    if (event.errorDeclaration && eventID) {
      correction = { eventId: eventID, declaration: event.errorDeclaration as Record<string, unknown> };
      row.eventId = `${eventID}#declared-${job.id}`;
      row.document = { ...row.document, eventID };
    }
    // A declaration restates the event it corrects: it moves nothing itself.
    const takes = correction ? [] : await this.takes(ctx, event);
    const links = !correction && event.type === 'TransformationEvent' ? await this.transformationLinks(ctx, event, takes) : null;
    return { index, eventID, row, correction, takes, links };
  }

  /**
   * The platform lots an event takes from — a transformation's inputs, and the lots of any event that
   * moves goods between parties — under POST /transformations' ownership rule: the capturer's own
   * lots only (another organisation's answers as if it did not exist). Lots named in a quantity list
   * need their quantity, which counts against the lot's balance.
   */
  private async takes(ctx: CaptureContext, event: Record<string, unknown>): Promise<Take[]> {
    const transformation = event.type === 'TransformationEvent';
    if (!transformation && !this.movesGoods(event)) return [];
    const lists: [string, unknown][] = transformation
      ? [['inputQuantityList', event.inputQuantityList]]
      : [['quantityList', event.quantityList], ['childQuantityList', event.childQuantityList]];
    const bare = transformation
      ? strings(event.inputEPCList)
      : [...strings(event.epcList), ...strings(event.childEPCs), ...strings([event.parentID])];
    const taken: Take[] = [];
    for (const [name, list] of lists) {
      for (const [n, element] of elements(list).entries()) {
        if (!element || !this.events.ownLotReference(element.epcClass)) continue;
        const batch = await this.takeableLot(ctx, this.lotKey(element.epcClass));
        taken.push({ batch, quantity: this.quantityOf(element, batch, `${name}[${n}]`), field: `${name}[${n}].quantity` });
      }
    }
    for (const uri of bare.filter((u) => this.events.ownLotReference(u))) {
      taken.push({ batch: await this.takeableLot(ctx, this.lotKey(uri)), quantity: null, field: uri });
    }
    return taken;
  }

  /** Outputs must be the capturer's own too; platform inputs into platform outputs are linked, within the yield limit. */
  private async transformationLinks(ctx: CaptureContext, event: Record<string, unknown>, takes: Take[]): Promise<Candidate['links']> {
    const outputs: { batch: Batch; quantity: Quantity }[] = [];
    for (const [n, element] of elements(event.outputQuantityList).entries()) {
      if (!element || !this.events.ownLotReference(element.epcClass)) continue;
      const batch = await this.takeableLot(ctx, this.lotKey(element.epcClass));
      outputs.push({ batch, quantity: this.quantityOf(element, batch, `outputQuantityList[${n}]`) });
    }
    for (const uri of strings(event.outputEPCList).filter((u) => this.events.ownLotReference(u))) await this.takeableLot(ctx, this.lotKey(uri));
    const inputs = takes.filter((t) => t.quantity !== null);
    if (inputs.length === 0 || outputs.length === 0) return null;
    if (new Set(inputs.map((i) => i.batch.id)).size !== inputs.length) {
      throw new DomainError('VALIDATION_FAILED', 'inputQuantityList: a lot can be an input only once per transformation', { field: 'inputQuantityList', rule: 'unique' });
    }
    assertYield(inputs.map((i) => i.quantity!), outputs.map((o) => o.quantity), this.config.transformationMaxYieldPercent);
    return { inputs, outputIds: outputs.map((o) => o.batch.id) };
  }

  /**
   * In one transaction, under the capturing organisation's capture lock and the taken lots' locks:
   * eventIDs it already holds (same body: a duplicate; another body: EVENT_ID_CONFLICT), mass
   * balance, cycles, and corrections of its own events only (EVENT_NOT_OWNED); then stores.
   */
  private async store(m: EntityManager, ctx: CaptureContext, candidates: Candidate[], errors: CaptureEventError[], ownerRegion: string | null): Promise<void> {
    const { job } = ctx;
    await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 13))', [`capture:${job.organizationId ?? 'admin'}`]);
    const recorded = await this.events.recordedUnder(m, candidates.flatMap((c) => [c.row.eventId, ...(c.correction ? [c.correction.eventId] : [])]));
    await this.chain.lockLots(m, candidates.flatMap((c) => [...c.takes.map((t) => t.batch.id), ...(c.links?.outputIds ?? [])]));
    const held = new Map(recorded.filter((r) => r.recordedBy === job.organizationId).map((r) => [r.eventId, r.hashId]));
    const pending = new Map<string, Quantity[]>();
    const rows: EventRow[] = [];
    const corrections: { target: RecordedEvent; declaration: Record<string, unknown> }[] = [];
    let duplicates = 0;
    let captured = 0;
    for (const c of candidates) {
      const known = held.get(c.row.eventId);
      if (known === c.row.hashId) { duplicates++; continue; }
      try {
        if (known !== undefined) {
          throw new DomainError('EVENT_ID_CONFLICT', `This organisation already holds another event under the eventID ${c.row.eventId}`);
        }
        const targets = c.correction ? this.correctable(ctx, recorded, c.correction.eventId) : [];
        const mine = await this.assertMovable(m, c, pending);
        held.set(c.row.eventId, c.row.hashId);
        for (const target of targets) corrections.push({ target, declaration: c.correction!.declaration });
        if (c.links) {
          // Written at once: later events of this capture then see what this one consumed and linked.
          const stored = await this.storeLinked(m, c.row, c.links);
          captured += stored;
          duplicates += 1 - stored;
        } else {
          rows.push(c.row);
          for (const [id, quantities] of mine) pending.set(id, [...pending.get(id) ?? [], ...quantities]);
        }
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors.push({ index: c.index, eventID: c.eventID, code: error.code, message: error.message });
      }
    }
    if (errors.length > 0 && job.errorBehaviour === 'rollback') throw new CaptureRolledBack();
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const inserted = (await this.events.insertRows(m, chunk)).length;
      captured += inserted;
      duplicates += chunk.length - inserted;
    }
    for (const { target, declaration } of corrections) await this.correct(m, ctx, target, declaration, ownerRegion);
    errors.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
    await m.update(CaptureJob, { id: job.id }, {
      status: 'done', errors, document: null, finishedAt: new Date(), capturedCount: captured, duplicateCount: duplicates,
    });
  }

  /**
   * The event's movements under the lots' locks: each lot active, with what it takes left after
   * what left it and `pending` (earlier events of this capture not written yet); a transformation
   * closes no loop. Returns what it takes, by lot.
   */
  private async assertMovable(m: EntityManager, c: Candidate, pending: Map<string, Quantity[]>): Promise<Map<string, Quantity[]>> {
    const mine = new Map<string, Quantity[]>();
    for (const take of c.takes) {
      const before = [...pending.get(take.batch.id) ?? [], ...mine.get(take.batch.id) ?? []];
      await this.chain.assertCanTake(m, take.batch, take.quantity, take.field, take.field, before);
      if (take.quantity) mine.set(take.batch.id, [...mine.get(take.batch.id) ?? [], take.quantity]);
    }
    if (c.links && await this.graph.wouldCycle(c.links.inputs.map((i) => i.batch.id), c.links.outputIds, m)) {
      throw new DomainError('TRANSFORMATION_CYCLE', 'An output lot is already upstream of an input lot');
    }
    return mine;
  }

  /** A transformation's row and its genealogy links; 0 when the row was already on record. */
  private async storeLinked(m: EntityManager, row: EventRow, links: NonNullable<Candidate['links']>): Promise<number> {
    const [inserted] = await this.events.insertRows(m, [row]);
    if (!inserted) return 0;
    await this.graph.addLinks(m, links.inputs.flatMap((i) => links.outputIds.map((to) => ({
      fromBatchId: i.batch.id, toBatchId: to, eventId: inserted.id, kind: 'capture' as const, quantity: i.quantity!, eventTime: row.eventTime,
    }))));
    return 1;
  }

  /**
   * The events an errorDeclaration corrects: those this organisation captured or the platform
   * recorded for it (the admin: any). An eventID on record only for others is EVENT_NOT_OWNED; one
   * on record nowhere is a partner's event, and the declaration is stored as given (EPCIS examples).
   */
  private correctable(ctx: CaptureContext, recorded: RecordedEvent[], eventId: string): RecordedEvent[] {
    const all = recorded.filter((r) => r.eventId === eventId);
    const own = isAdmin(ctx.actor) ? all : all.filter((r) => r.recordedBy === ctx.job.organizationId);
    if (all.length > 0 && own.length === 0) {
      throw new DomainError('EVENT_NOT_OWNED', `The event ${eventId} was not captured by this organisation nor recorded for it: only its recorder can declare it erroneous`);
    }
    return own;
  }

  /** Marks the event erroneous and audits it (in the capture's transaction, as the capturing actor). */
  private async correct(m: EntityManager, ctx: CaptureContext, target: RecordedEvent, declaration: Record<string, unknown>, ownerRegion: string | null): Promise<void> {
    await this.events.declareError(m, target.id, declaration);
    await this.audit.record(m, {
      action: 'epcis_event.error_declared',
      subject: { type: 'epcis_events', id: target.id },
      organizationId: target.recordedBy,
      regionCode: target.regionCodes[0] ?? ownerRegion,
      before: { error_declaration: target.errorDeclaration },
      after: { error_declaration: declaration },
      details: { eventID: target.eventId, captureId: ctx.job.id, reason: typeof declaration.reason === 'string' ? declaration.reason : null },
    });
  }

  private async takeableLot(ctx: CaptureContext, uri: string): Promise<Batch> {
    let lot = ctx.takeable.get(uri);
    if (!lot) {
      lot = this.chain.takeableLot(ctx.actor, ctx.lots.get(uri)!.batchId).catch((error: unknown) => {
        // Another organisation's lot reads exactly like one that does not exist.
        if (isDomainError(error) && (error.code === 'NOT_FOUND' || error.code === 'FORBIDDEN')) throw this.unknownLot(uri);
        throw error;
      });
      ctx.takeable.set(uri, lot);
    }
    return lot;
  }

  private unknownLot(uri: string): DomainError {
    return new DomainError('UNKNOWN_LOT', `No lot on this platform is identified by ${uri}`);
  }

  /** Does the event move goods between parties (a source or destination, or a shipping or receiving step)? */
  private movesGoods(event: Record<string, unknown>): boolean {
    const listed = (v: unknown) => Array.isArray(v) && v.length > 0;
    return listed(event.sourceList) || listed(event.destinationList) || MOVING_STEPS.has(bareCbvWord(event.bizStep) ?? '');
  }

  /** A captured quantity of a platform lot: KGM, GRM, TNE, or a bare count in the lot's own counted unit. */
  private quantityOf(element: QuantityElement, batch: Batch, field: string): Quantity {
    if (typeof element.quantity !== 'number') {
      throw new DomainError('INVALID_QUANTITY', `${field}.quantity is required: a platform lot moved by an event needs its quantity`, { field: `${field}.quantity`, rule: 'required' });
    }
    const counted = dimensionOf(batch.quantityUnit) !== 'mass';
    const unit = typeof element.uom === 'string' ? unitForUncefact(element.uom) ?? element.uom : counted ? batch.quantityUnit : '件';
    return parseQuantity({ value: element.quantity, unit }, field);
  }

  private classesOf(list: unknown): string[] {
    return Array.isArray(list) ? list.map((q) => (q as { epcClass?: unknown }).epcClass).filter((c): c is string => typeof c === 'string') : [];
  }

  private allIdentifiers(event: Record<string, unknown>): string[] {
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return [
      ...strings(event.epcList), ...strings(event.childEPCs), ...strings(event.inputEPCList), ...strings(event.outputEPCList),
      ...(typeof event.parentID === 'string' ? [event.parentID] : []),
      ...this.classesOf(event.quantityList), ...this.classesOf(event.childQuantityList),
      ...this.classesOf(event.inputQuantityList), ...this.classesOf(event.outputQuantityList),
    ];
  }

  /** Lot identifiers on our own host (class-level; an item's serial is dropped). */
  private ownLotUris(event: Record<string, unknown>): string[] {
    return [...new Set(this.allIdentifiers(event).filter((u) => this.events.ownLotReference(u) !== null).map((u) => this.lotKey(u)))];
  }

  private lotKey(uri: string): string {
    return uri.replace(/\/21\/[^/?]+/, '').replace(/\?.*$/, '');
  }

  private ownPartyIds(event: Record<string, unknown>): string[] {
    const ids: string[] = [];
    for (const s of (Array.isArray(event.sourceList) ? event.sourceList : []) as { source?: unknown }[]) {
      if (typeof s.source === 'string') { const id = partyIdOf(this.config.publicBaseUrl, s.source); if (id) ids.push(id); }
    }
    for (const d of (Array.isArray(event.destinationList) ? event.destinationList : []) as { destination?: unknown }[]) {
      if (typeof d.destination === 'string') { const id = partyIdOf(this.config.publicBaseUrl, d.destination); if (id) ids.push(id); }
    }
    return [...new Set(ids)];
  }

  private async resolveLots(events: Record<string, unknown>[]): Promise<Map<string, ResolvedLot>> {
    const uris = new Set(events.flatMap((e) => this.ownLotUris(e)));
    const out = new Map<string, ResolvedLot>();
    const productsByGtin = new Map<string, string[]>();
    for (const uri of uris) {
      const ref = this.events.ownLotReference(uri)!;
      if (!productsByGtin.has(ref.gtin)) productsByGtin.set(ref.gtin, await this.products.idsByGtin(ref.gtin));
      const batch = await this.batches.findByProductsAndLot(productsByGtin.get(ref.gtin)!, ref.lot);
      if (batch) out.set(uri, { batchId: batch.id, organizationId: batch.organizationId, regionCode: batch.regionCode });
    }
    return out;
  }

  private async resolveParties(events: Record<string, unknown>[]): Promise<Set<string>> {
    const ids = [...new Set(events.flatMap((e) => this.ownPartyIds(e)))];
    return new Set((await this.organizations.summaries(ids)).keys());
  }
}
