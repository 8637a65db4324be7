import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobContext, JobProcessor } from '../jobs/job-processor';
import { JobRegistry } from '../jobs/job-registry';
import { LabelRenderer } from './label-renderer';

@Injectable()
export class LabelRenderProcessor implements JobProcessor<'label-render'>, OnModuleInit {
  readonly queue = QUEUES.labelRender;

  constructor(
    private readonly renderer: LabelRenderer,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  process(payload: JobPayloads['label-render'], context: JobContext): Promise<void> {
    return this.renderer.renderJob(payload.renderId, (percent) => context.progress(percent));
  }
}
