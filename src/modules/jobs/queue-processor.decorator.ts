import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { QueueName } from '../../../libs/queues';

/** Metadata key and reader of @QueueProcessor (Nest's discoverable decorator: providers are found by it). */
export const QueueProcessorMark = DiscoveryService.createDecorator<QueueName>();

/**
 * Marks the provider that runs the jobs of `queue` (a JobProcessor). The job registry finds every
 * marked provider when the application starts; no processor registers itself. A processor that
 * also implements RecoverableJobs is watched by the sweeper.
 */
export function QueueProcessor(queue: QueueName): ClassDecorator {
  return applyDecorators(Injectable(), QueueProcessorMark(queue));
}
