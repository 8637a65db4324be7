import { DiscoveryModule } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { QUEUES, type QueueName } from '../../../libs/queues';
import { JobRegistry, ProcessorSetError, RUNS_PROCESSORS } from './job-registry';
import { QueueProcessor } from './queue-processor.decorator';

/** A processor class for `queue` (one class per queue, as in the features). */
function processorOf(queue: QueueName, recoverable = false): new () => object {
  @QueueProcessor(queue)
  class Processor {
    readonly queue = queue;
    async process(): Promise<void> {}
  }
  if (recoverable) Object.assign(Processor.prototype, { unfinished: async () => [], giveUp: async () => true });
  Object.defineProperty(Processor, 'name', { value: `Processor_${queue}` });
  return Processor;
}

const ALL = Object.values(QUEUES).map((q) => processorOf(q, q === QUEUES.labelRender));

async function boot(providers: (new () => object)[], runsProcessors = true, extraModules: (new () => object)[] = []): Promise<JobRegistry> {
  const ref = await Test.createTestingModule({
    imports: [DiscoveryModule, ...extraModules],
    providers: [{ provide: RUNS_PROCESSORS, useValue: runsProcessors }, JobRegistry, ...providers],
  }).compile();
  await ref.init();
  return ref.get(JobRegistry);
}

describe('job registry: processors are found by @QueueProcessor', () => {
  it('finds one processor per queue, and the recoverable ones for the sweeper', async () => {
    const registry = await boot(ALL);
    expect(registry.queues().sort()).toEqual(Object.values(QUEUES).sort());
    expect(registry.get(QUEUES.samplingJudge)?.queue).toBe(QUEUES.samplingJudge);
    expect(registry.recoverables().map((r) => r.queue)).toEqual([QUEUES.labelRender]);
  });

  it('fails boot naming a queue that has no processor', async () => {
    const missing = ALL.filter((_, i) => Object.values(QUEUES)[i] !== QUEUES.webhookDelivery);
    await expect(boot(missing)).rejects.toThrow(ProcessorSetError);
    await expect(boot(missing)).rejects.toThrow("queue 'webhook-delivery' has no processor");
  });

  it('fails boot naming a queue with two processors (also when they sit in different modules)', async () => {
    @Module({ providers: [processorOf(QUEUES.indicatorsFold)] })
    class SecondFoldModule {}
    await expect(boot(ALL, true, [SecondFoldModule])).rejects.toThrow(
      "queue 'indicators-fold' has 2 processors (Processor_indicators-fold, Processor_indicators-fold)",
    );
  });

  it('fails boot for a processor of a queue that is not in QUEUES', async () => {
    await expect(boot([...ALL, processorOf('no-such-queue' as QueueName)])).rejects.toThrow("processor for unknown queue 'no-such-queue'");
  });

  it('does not check where processors do not run (the API with Redis)', async () => {
    const registry = await boot([], false);
    expect(registry.queues()).toEqual([]);
  });
});
