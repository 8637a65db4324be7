import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { ClusterBus } from '../../common/cluster-bus';
import { ReadReplica } from '../../common/read-replica';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { JobDispatcher } from '../jobs';

type ClusterState = 'single-process' | 'live' | 'down';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobDispatcher,
    private readonly bus: ClusterBus,
    private readonly replica: ReadReplica,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Liveness plus the state of each dependency; `degraded` names those not working. 503 when the
   * database or the job queue is down (this process cannot do its work); 200 with status
   * `degraded` when only the cluster channel is down (this process serves, but reads API keys from
   * the database on every request and learns of other processes' batch changes only as its caches expire)
   * or the read replica is down or behind (the primary answers its reads).
   */
  @Get()
  async health(@Res() reply: FastifyReply) {
    const [database, queue] = await Promise.all([this.database(), this.jobs.health()]);
    const replica = this.replica.state;
    const cluster: ClusterState = !this.config.redisUrl ? 'single-process' : this.bus.live ? 'live' : 'down';
    const degraded = [
      ...(database === 'down' ? ['database'] : []),
      ...(queue === 'down' ? ['queue'] : []),
      ...(cluster === 'down' ? ['cluster'] : []),
      ...(replica === 'down' || replica === 'lagging' ? ['replica'] : []),
    ];
    const serving = database === 'up' && queue !== 'down';
    return reply.status(serving ? 200 : 503).send({
      status: degraded.length === 0 ? 'ok' : 'degraded',
      database,
      queue,
      cluster,
      replica,
      degraded,
      embedded: !this.config.databaseUrl,
      uptimeSeconds: Math.round(process.uptime()),
    });
  }

  private async database(): Promise<'up' | 'down'> {
    try {
      await this.dataSource.query('SELECT 1');
      return 'up';
    } catch {
      return 'down';
    }
  }
}
