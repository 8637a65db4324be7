import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobContext, JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from '../jobs';
import { LabelRenderer, renderJobId } from './label-renderer';

@QueueProcessor(QUEUES.labelRender)
export class LabelRenderProcessor implements JobProcessor<'label-render'>, RecoverableJobs<'label-render'> {
  readonly queue = QUEUES.labelRender;

  constructor(
    private readonly renderer: LabelRenderer,
  ) {}

  process(payload: JobPayloads['label-render'], context: JobContext): Promise<void> {
    return this.renderer.renderJob(payload.renderId, (percent) => context.progress(percent));
  }

  async unfinished(limit: number): Promise<UnfinishedWork<'label-render'>[]> {
    const renders = await this.renderer.unfinished(limit);
    return renders.map((r) => ({ entityId: r.id, jobId: renderJobId(r.id, r.generation), payload: { renderId: r.id } }));
  }

  giveUp(renderId: string, reason: string): Promise<boolean> {
    return this.renderer.giveUp(renderId, `${JOB_ABANDONED}: ${reason}`.slice(0, 500));
  }
}

