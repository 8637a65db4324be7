import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { schemaProblems } from '../../../libs/epcis';

/**
 * Compiling the official EPCIS schema takes about half a second: do it just after start-up rather
 * than inside the first capture request.
 */
@Injectable()
export class EpcisSchemaWarmup implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  onApplicationBootstrap(): void {
    this.timer = setTimeout(() => schemaProblems({}), 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }
}
