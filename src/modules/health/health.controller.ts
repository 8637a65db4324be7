import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Public } from '../auth';
import { JobDispatcher } from '../jobs';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Liveness plus the state of the database and the job queue; 503 when either is down. */
  @Get()
  async health(@Res() reply: FastifyReply) {
    const [database, queue] = await Promise.all([this.database(), this.jobs.health()]);
    const ok = database === 'up' && queue !== 'down';
    return reply.status(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      database,
      queue,
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
