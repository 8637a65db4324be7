import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import {
  LABEL_LAYOUTS, LabelContent, LabelLayout, renderLabelsPdf, renderLabelsTspl, renderLabelsZpl,
} from '../../../libs/labels';
import { DomainError } from '../../../libs/errors';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { BatchesService } from '../batches';
import { itemQrContent } from '../codes/domain';
import { TraceCodesService } from '../codes';
import { FileStore } from '../files';
import { OrganizationsService } from '../organizations';
import { ProductsService } from '../products';
import { OrganicCodesService } from '../marks';
import { LABEL_FORMATS, LabelFormat, LabelRender, RenderStatus } from './label-render.entity';
import { PrintRun } from './print-run.entity';

const CODE_PAGE = 20_000;
const UNFINISHED: RenderStatus[] = ['pending', 'rendering'];

/** A render's job id: one per generation (a failed render asked for again gets a new one). */
export function renderJobId(renderId: string, generation: number): string {
  return `render-${renderId}-${generation}`;
}

/** Turns a print run into label files (PDF sheets, ZPL, TSPL). Used inline and by the render job. */
@Injectable()
export class LabelRenderer {
  private readonly logger = new Logger('Labels');

  constructor(
    @InjectRepository(PrintRun) private readonly runs: Repository<PrintRun>,
    @InjectRepository(LabelRender) private readonly renders: Repository<LabelRender>,
    private readonly batches: BatchesService,
    private readonly products: ProductsService,
    private readonly organizations: OrganizationsService,
    private readonly traceCodes: TraceCodesService,
    private readonly files: FileStore,
    private readonly organicCodes: OrganicCodesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  assertSupported(format: string, layout: string): asserts format is LabelFormat {
    if (!(LABEL_FORMATS as readonly string[]).includes(format)) {
      throw new DomainError('UNKNOWN_LAYOUT', `format must be one of ${LABEL_FORMATS.join(', ')}`, { field: 'format', rule: 'enum' });
    }
    if (!(layout in LABEL_LAYOUTS)) {
      throw new DomainError('UNKNOWN_LAYOUT', `layout must be one of ${Object.keys(LABEL_LAYOUTS).join(', ')}`, { field: 'layout', rule: 'enum' });
    }
    if (format !== 'pdf' && layout === 'a4-40') {
      throw new DomainError('LAYOUT_NOT_SUPPORTED', `${format.toUpperCase()} is for thermal rolls: use layout roll-60x40 or roll-60x80`, { field: 'layout', rule: 'roll_only' });
    }
  }

  async render(run: PrintRun, format: LabelFormat, layout: string, onProgress?: (done: number, total: number) => Promise<void>): Promise<Buffer> {
    const labels = await this.labelContents(run);
    const l = layout as LabelLayout;
    switch (format) {
      case 'pdf':
        return renderLabelsPdf(labels, l, { onProgress });
      case 'zpl':
        return Buffer.from(renderLabelsZpl(labels, l), 'utf8');
      case 'tspl':
        return Buffer.from(renderLabelsTspl(labels, l), 'utf8');
    }
  }

  open(fileKey: string): NodeJS.ReadableStream {
    return this.files.read(fileKey);
  }

  /** The job body. Idempotent: a finished or failed render is left alone; a crashed one renders again. */
  async renderJob(renderId: string, progress: (percent: number) => Promise<void>): Promise<void> {
    const render = await this.renders.findOneBy({ id: renderId });
    if (!render || render.status === 'done' || render.status === 'failed') return;
    const run = await this.runs.findOneByOrFail({ id: render.printRunId });
    // Conditional: another run of the job (after a stall) may have finished it meanwhile.
    const started = await this.renders.update({ id: render.id, status: In(UNFINISHED) }, { status: 'rendering', progress: 0 });
    if (!started.affected) return;
    try {
      let lastPercent = 0;
      const data = await this.render(run, render.format, render.layout, async (done, total) => {
        const percent = Math.floor((done / total) * 99);
        if (percent >= lastPercent + 5) {
          lastPercent = percent;
          // Only while rendering: a second run of the job (after a stall) must not move a finished render back.
          await this.renders.update({ id: render.id, status: 'rendering' }, { progress: percent });
          await progress(percent);
        }
      });
      const fileKey = `labels/${run.id}/${render.id}-${render.generation}.${render.format}`;
      const bytes = await this.files.write(fileKey, data);
      await this.renders.update({ id: render.id }, { status: 'done', progress: 100, fileKey, bytes, finishedAt: new Date() });
      await progress(100);
    } catch (error) {
      // Rule violations are final; infrastructure errors leave the row 'rendering' for the retry.
      if (error instanceof DomainError) {
        await this.renders.update({ id: render.id }, { status: 'failed', error: `${error.code}: ${error.message}`.slice(0, 500) });
      }
      this.logger.warn({ msg: 'render failed', renderId, error: String(error) });
      throw error;
    }
  }

  /** Renders waiting for or in a job, oldest first (the sweeper checks their jobs are alive). */
  async unfinished(limit: number): Promise<Pick<LabelRender, 'id' | 'generation'>[]> {
    return this.renders.find({ select: { id: true, generation: true }, where: { status: In(UNFINISHED) }, order: { createdAt: 'ASC' }, take: limit });
  }

  /** Fails a render whose jobs were lost too often; the labels route then answers the reason. */
  async giveUp(renderId: string, reason: string): Promise<boolean> {
    const result = await this.renders.update({ id: renderId, status: In(UNFINISHED) }, { status: 'failed', error: reason, finishedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  private async labelContents(run: PrintRun): Promise<LabelContent[]> {
    const batch = await this.batches.byId(run.batchId);
    if (!batch) throw new DomainError('NOT_FOUND', 'Batch not found');
    if (batch.status !== 'active') {
      throw new DomainError('BATCH_NOT_ACTIVE', `Labels cannot be printed for a batch that is ${batch.status}`, { status: batch.status });
    }
    const [product, producer] = await Promise.all([this.products.byId(batch.productId), this.organizations.summary(batch.organizationId)]);
    const labels: LabelContent[] = [];
    for (let after = run.firstSerial - 1; after < run.lastSerial;) {
      const page = await this.traceCodes.itemCodesForRun(run.id, after, CODE_PAGE);
      if (page.length === 0) break;
      const organic = await this.organicCodes.codesForRun(run.id, page[0].serial, page[page.length - 1].serial);
      for (const { code, serial } of page) {
        const organicCode = organic.get(serial);
        labels.push({
          qrText: itemQrContent(this.config.publicBaseUrl, { gtin: run.gtin, lot: batch.lotCode, code }),
          productName: product?.name ?? '',
          lot: batch.lotCode,
          serial: String(serial).padStart(6, '0'),
          date: batch.producedOn,
          producer: producer?.name ?? '',
          ...(organicCode ? { organicCode } : {}),
        });
      }
      after = page[page.length - 1].serial;
    }
    return labels;
  }
}
