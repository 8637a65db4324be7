import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { assertEpcisDocument, documentEvents } from '../../../libs/epcis';
import { DomainError } from '../../../libs/errors';
import { QUEUES } from '../../../libs/queues';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, isAdmin } from '../auth/actor';
import { BatchesService } from '../batches/batches.service';
import type { Quantity } from '../batches/domain/quantity';
import { OutboxService } from '../jobs/outbox.service';
import { OrganizationsService } from '../organizations/organizations.service';
import { ProductsService } from '../products/products.service';
import { CaptureErrorBehaviour, CaptureEventError, CaptureJob, captureJobId } from './capture-job.entity';
import { partyIdOf } from './domain/platform-events';
import { EventRow, EventsService } from './events.service';
import { LotGraphService } from './lot-graph.service';

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

interface LinkedLot extends ResolvedLot {
  quantity: Quantity;
}

const UOM_UNITS: Record<string, Quantity['unit']> = { KGM: 'kg', GRM: 'g', TNE: 't' };

/** A captured quantity element as a platform quantity (kg, g, t, or a bare count as 件); 0 when absent. */
function capturedQuantity(element: { quantity?: unknown; uom?: unknown }): Quantity {
  const value = typeof element.quantity === 'number' && element.quantity >= 0 ? Math.round(element.quantity * 1000) / 1000 : 0;
  const unit = typeof element.uom === 'string' ? UOM_UNITS[element.uom] : '件';
  return unit ? { value: String(value), unit } : { value: '0', unit: 'kg' };
}

/**
 * EPCIS capture (REST binding): the document is checked against the official schema at once
 * (400 with the schema path), then stored by a job (202 + /capture/{id}). Identifiers on our own
 * host must resolve — lots (`/01/{GTIN}/10/{lot}`) to platform batches, parties (`/party/{id}`)
 * to organisations — else that event fails; everything else is a partner's identifier and is
 * stored as given. `rollback` (the default) stores nothing when any event fails; `proceed`
 * stores the good ones.
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
        organizationId: actor.organizationId, errorBehaviour: behaviour, document: body as Record<string, unknown>, eventCount: count,
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

  /** The job: resolve, check, store. Idempotent: a finished job is left alone. */
  async process(captureId: string): Promise<void> {
    const job = await this.jobs.findOneBy({ id: captureId });
    if (!job || job.status === 'done' || job.status === 'failed' || !job.document) return;
    await this.jobs.update({ id: job.id }, { status: 'running' });
    const document = job.document;
    const prefixes = this.events.documentPrefixes(document);
    const events = this.events.documentEvents(document);
    const errors: CaptureEventError[] = [];
    const rows: EventRow[] = [];
    const declarations: { eventId: string; declaration: Record<string, unknown> }[] = [];
    const links: { index: number; inputs: LinkedLot[]; outputs: LinkedLot[]; time: string; eventId: string }[] = [];
    const lots = await this.resolveLots(events);
    const parties = await this.resolveParties(events);

    for (const [index, event] of events.entries()) {
      const eventID = typeof event.eventID === 'string' ? event.eventID : null;
      const fail = (code: string, message: string) => errors.push({ index, eventID, code, message });
      const unknownLot = this.ownLotUris(event).find((uri) => !lots.has(uri));
      if (unknownLot) { fail('UNKNOWN_LOT', `No lot on this platform is identified by ${unknownLot}`); continue; }
      const unknownParty = this.ownPartyIds(event).find((id) => !parties.has(id));
      if (unknownParty) { fail('UNKNOWN_ORGANIZATION', `No organisation on this platform has the party id ${unknownParty}`); continue; }
      const resolved = this.ownLotUris(event).map((uri) => lots.get(uri)!);
      const row = this.events.toRow(event, {
        batchIds: resolved.map((l) => l.batchId),
        organizationIds: [...(job.organizationId ? [job.organizationId] : []), ...resolved.map((l) => l.organizationId), ...this.ownPartyIds(event)],
        regionCodes: resolved.map((l) => l.regionCode),
      }, 'capture', job.id, prefixes);
      if (event.errorDeclaration && eventID) {
        declarations.push({ eventId: eventID, declaration: event.errorDeclaration as Record<string, unknown> });
        row.eventId = `${eventID}#declared-${job.id}`;
        row.document = { ...row.document, eventID };
      }
      if (event.type === 'TransformationEvent') {
        const linked = (list: unknown): LinkedLot[] => (Array.isArray(list) ? list : []).flatMap((q: { epcClass?: unknown; quantity?: unknown; uom?: unknown }) => {
          const lot = typeof q.epcClass === 'string' ? lots.get(this.lotKey(q.epcClass)) : undefined;
          return lot ? [{ ...lot, quantity: capturedQuantity(q) }] : [];
        });
        const ins = linked(event.inputQuantityList);
        const outs = linked(event.outputQuantityList);
        // Genealogy links only where the capturing organisation owns the outputs (an admin capture: any).
        const ownsOutputs = outs.length > 0 && (job.organizationId === null || outs.every((o) => o.organizationId === job.organizationId));
        if (ins.length > 0 && ownsOutputs) {
          if (await this.graph.wouldCycle(ins.map((l) => l.batchId), outs.map((l) => l.batchId))) {
            fail('TRANSFORMATION_CYCLE', 'An output lot is already upstream of an input lot');
            continue;
          }
          links.push({ index, inputs: ins, outputs: outs, time: row.eventTime, eventId: row.eventId });
        }
      }
      rows.push(row);
    }

    if (errors.length > 0 && job.errorBehaviour === 'rollback') {
      await this.jobs.update({ id: job.id }, { status: 'failed', errors, document: null, finishedAt: new Date() });
      return;
    }
    let captured = 0;
    await this.dataSource.transaction(async (m) => {
      const ids = new Map<string, string>();
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        const inserted = await this.events.insertRows(m, rows.slice(i, i + INSERT_CHUNK));
        for (const r of inserted) ids.set(r.eventId, r.id);
      }
      captured = ids.size;
      await this.events.declareErrors(m, declarations);
      for (const link of links) {
        const eventRowId = ids.get(link.eventId);
        if (!eventRowId) continue;
        await this.graph.addLinks(m, link.inputs.flatMap((i) => link.outputs.map((o) => ({
          fromBatchId: i.batchId, toBatchId: o.batchId, eventId: eventRowId, kind: 'capture' as const,
          quantity: i.quantity, eventTime: link.time,
        }))));
      }
      await m.update(CaptureJob, { id: job.id }, {
        status: 'done', errors, document: null, finishedAt: new Date(),
        capturedCount: captured, duplicateCount: rows.length - captured,
      });
    });
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
