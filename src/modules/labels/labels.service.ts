import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DomainError } from '../../../libs/errors';
import { QUEUES } from '../../../libs/queues';
import { isUuid } from '../../common/ids';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Actor, canWriteAs, isAdmin } from '../auth';
import { BatchesService } from '../batches';
import { IdempotencyService } from '../idempotency';
import { OutboxService } from '../jobs';
import { TraceCodesService } from '../codes';
import { ProductsService } from '../products';
import { OrganicCodesService } from '../marks';
import { LabelFormat, LabelRender } from './label-render.entity';
import { LabelRenderer, renderJobId } from './label-renderer';
import { PrintRun } from './print-run.entity';

export interface PrintRunView {
  id: string;
  batchId: string;
  count: number;
  firstSerial: number;
  lastSerial: number;
  createdAt: string;
}

export interface RenderView {
  format: LabelFormat;
  layout: string;
  status: LabelRender['status'];
  progress: number;
  bytes: number | null;
  error: string | null;
  downloadUrl: string;
}

export type LabelsResult =
  | { kind: 'file'; body: Buffer | NodeJS.ReadableStream; contentType: string; filename: string }
  | { kind: 'pending'; render: RenderView };

const CONTENT_TYPES: Record<LabelFormat, string> = {
  pdf: 'application/pdf',
  zpl: 'text/plain; charset=utf-8',
  tspl: 'text/plain; charset=utf-8',
};

@Injectable()
export class LabelsService {
  constructor(
    @InjectRepository(PrintRun) private readonly runs: Repository<PrintRun>,
    @InjectRepository(LabelRender) private readonly renders: Repository<LabelRender>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly traceCodes: TraceCodesService,
    private readonly products: ProductsService,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly organicCodes: OrganicCodesService,
    private readonly renderer: LabelRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async createPrintRun(actor: Actor, batchId: string, count: number, key?: string): Promise<{ view: PrintRunView; replayed: boolean }> {
    const batch = await this.batches.findWritable(actor, batchId);
    if (count > this.config.printRunMax) {
      throw new DomainError('VALIDATION_FAILED', `count must not be greater than ${this.config.printRunMax}`, { field: 'count', rule: 'max' });
    }
    if (batch.status !== 'active') {
      throw new DomainError('BATCH_NOT_ACTIVE', `Labels cannot be printed for a batch that is ${batch.status}`, { status: batch.status });
    }
    const gtin = (await this.products.byId(batch.productId))?.gtin ?? null;
    const { result, replayed } = await this.idempotency.run(actor, key, `POST /api/v1/batches/${batch.id}/print-runs`, { count }, async (m) => {
      const serials = await this.batches.reserveSerials(m, batch.id, count);
      const run = await m.save(m.create(PrintRun, {
        organizationId: batch.organizationId, batchId: batch.id, count, firstSerial: serials.first, lastSerial: serials.last, gtin,
      }));
      await this.traceCodes.issueItemCodes(m, batch.id, run.id, serials.first, count);
      // An organic batch's labels each take one 有机码, or the run is refused (ORGANIC_CODES_EXHAUSTED).
      await this.organicCodes.takeForPrintRun(m, batch.id, run.id, serials.first, count);
      return toRunView(run);
    });
    return { view: result, replayed };
  }

  async getPrintRun(actor: Actor, id: string): Promise<PrintRunView & { renders: RenderView[] }> {
    const run = await this.findOwned(actor, id);
    const renders = await this.renders.find({ where: { printRunId: run.id }, order: { createdAt: 'ASC' } });
    return { ...toRunView(run), renders: renders.map((r) => this.renderView(run.id, r)) };
  }

  async listPrintRuns(actor: Actor, batchId: string): Promise<{ items: PrintRunView[] }> {
    const batch = await this.batches.findWritable(actor, batchId);
    const runs = await this.runs.find({ where: { batchId: batch.id }, order: { createdAt: 'DESC' } });
    return { items: runs.map(toRunView) };
  }

  /**
   * The label file of a run. Small runs render on the spot; large ones render as a job and this
   * answers 'pending' with progress until the file is ready. A failed render is an error with its
   * reason (a client polling for the file must not wait forever) until asked for with `retryFailed`.
   */
  async labels(actor: Actor, runId: string, format: LabelFormat, layout: string, options: { retryFailed?: boolean } = {}): Promise<LabelsResult> {
    const run = await this.findOwned(actor, runId);
    this.renderer.assertSupported(format, layout);
    // A held or recalled batch gets no labels, whether the run renders now or as a job.
    const batch = await this.batches.byId(run.batchId);
    if (batch && batch.status !== 'active') {
      throw new DomainError('BATCH_NOT_ACTIVE', `Labels cannot be printed for a batch that is ${batch.status}`, { status: batch.status });
    }
    const filename = `labels-${run.id.slice(0, 8)}-${layout}.${format}`;
    if (run.count <= this.config.labelSyncMax) {
      return { kind: 'file', body: await this.renderer.render(run, format, layout), contentType: CONTENT_TYPES[format], filename };
    }
    const render = await this.requestRender(run, format, layout, options.retryFailed ?? false);
    if (render.status === 'done' && render.fileKey) {
      return { kind: 'file', body: this.renderer.open(render.fileKey), contentType: CONTENT_TYPES[format], filename };
    }
    const view = this.renderView(run.id, render);
    if (render.status === 'failed') {
      throw new DomainError('LABEL_RENDER_FAILED', `The label file could not be rendered: ${render.error ?? 'unknown error'}`, {
        format, layout, reason: render.error, retry: `${view.downloadUrl}&retry=true`,
      });
    }
    return { kind: 'pending', render: view };
  }

  /** Finds or creates the render row; a new render, or a failed one asked for again, gets a job through the outbox. */
  private async requestRender(run: PrintRun, format: LabelFormat, layout: string, retryFailed: boolean): Promise<LabelRender> {
    const existing = await this.renders.findOneBy({ printRunId: run.id, format, layout });
    if (existing && (existing.status !== 'failed' || !retryFailed)) return existing;
    const render = await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO label_renders (print_run_id, format, layout) VALUES ($1, $2, $3)
         ON CONFLICT (print_run_id, format, layout) DO UPDATE
           SET status = 'pending', progress = 0, error = NULL, finished_at = NULL, generation = label_renders.generation + 1
           WHERE label_renders.status = 'failed'`,
        [run.id, format, layout],
      );
      const row = await m.findOneByOrFail(LabelRender, { printRunId: run.id, format, layout });
      if (row.status === 'pending') {
        await this.outbox.add(m, QUEUES.labelRender, renderJobId(row.id, row.generation), { renderId: row.id });
      }
      return row;
    });
    void this.outbox.poke();
    return render;
  }

  private async findOwned(actor: Actor, id: string): Promise<PrintRun> {
    const run = isUuid(id) ? await this.runs.findOneBy({ id }) : null;
    if (!run || !(isAdmin(actor) || canWriteAs(actor, run.organizationId))) {
      throw new DomainError('NOT_FOUND', 'Print run not found');
    }
    return run;
  }

  private renderView(runId: string, r: LabelRender): RenderView {
    return {
      format: r.format,
      layout: r.layout,
      status: r.status,
      progress: r.progress,
      bytes: r.bytes,
      error: r.error,
      downloadUrl: `/api/v1/print-runs/${runId}/labels.${r.format}?layout=${r.layout}`,
    };
  }
}

function toRunView(r: PrintRun): PrintRunView {
  return { id: r.id, batchId: r.batchId, count: r.count, firstSerial: r.firstSerial, lastSerial: r.lastSerial, createdAt: r.createdAt.toISOString() };
}
