import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobProcessor } from '../jobs/job-processor';
import { JobRegistry } from '../jobs/job-registry';
import { CaptureService } from './capture.service';

@Injectable()
export class CaptureProcessor implements JobProcessor<'epcis-capture'>, OnModuleInit {
  readonly queue = QUEUES.epcisCapture;

  constructor(
    private readonly captures: CaptureService,
    private readonly registry: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  process(payload: JobPayloads['epcis-capture']): Promise<void> {
    return this.captures.process(payload.captureId);
  }
}
