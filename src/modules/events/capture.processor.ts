import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from '../jobs';
import { CaptureJob, captureJobId, CaptureStatus } from './capture-job.entity';
import { CaptureService } from './capture.service';

const UNFINISHED: CaptureStatus[] = ['pending', 'running'];

@QueueProcessor(QUEUES.epcisCapture)
export class CaptureProcessor implements JobProcessor<'epcis-capture'>, RecoverableJobs<'epcis-capture'> {
  readonly queue = QUEUES.epcisCapture;

  constructor(
    private readonly captures: CaptureService,
    @InjectRepository(CaptureJob) private readonly jobs: Repository<CaptureJob>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  process(payload: JobPayloads['epcis-capture']): Promise<void> {
    return this.captures.process(payload.captureId);
  }

  async unfinished(limit: number): Promise<UnfinishedWork<'epcis-capture'>[]> {
    const jobs = await this.jobs.find({ select: { id: true }, where: { status: In(UNFINISHED) }, order: { createdAt: 'ASC' }, take: limit });
    return jobs.map((j) => ({ entityId: j.id, jobId: captureJobId(j.id), payload: { captureId: j.id } }));
  }

  /** The capture's status then says failed, with the reason as an error of the whole capture; nothing was stored. */
  async giveUp(captureId: string, reason: string): Promise<boolean> {
    const result = await this.dataSource.transaction((m) => m.update(CaptureJob, { id: captureId, status: In(UNFINISHED) }, {
      status: 'failed', errors: [{ index: null, eventID: null, code: JOB_ABANDONED, message: reason }], document: null, finishedAt: new Date(),
    }));
    return (result.affected ?? 0) > 0;
  }
}
