import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { routeGroup, statusClass } from './domain';

/** Seconds; scan pages answer in well under a millisecond, exports in seconds. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * This API process's metrics registry (one per application, not prom-client's global one, so two
 * applications in one process — the tests — keep their figures apart).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly latency = new Histogram({
    name: 'tianfu_http_request_duration_seconds',
    help: 'HTTP request latency by route group, method and status class',
    labelNames: ['group', 'method', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  /** Children per label set and groups per route pattern, so observing costs no label hashing. */
  private readonly children = new Map<string, { observe: (seconds: number) => void }>();
  private readonly groups = new Map<string, string>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tianfu_' });
  }

  /** Times every response of this Fastify instance (the Nest API and the scan edge). */
  instrument(instance: FastifyInstance): void {
    instance.addHook('onResponse', (request, reply, done) => {
      const pattern = request.routeOptions.url;
      let group = pattern === undefined ? 'unmatched' : this.groups.get(pattern);
      if (group === undefined) {
        group = routeGroup(pattern);
        this.groups.set(pattern!, group);
      }
      const key = `${group} ${request.method} ${reply.statusCode}`;
      let child = this.children.get(key);
      if (!child) {
        child = this.latency.labels(group, request.method, statusClass(reply.statusCode));
        this.children.set(key, child);
      }
      child.observe(reply.elapsedTime / 1000);
      done();
    });
  }
}
