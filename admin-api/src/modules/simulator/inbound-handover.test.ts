import { type Bus, busChannels, MemoryBus, type SimulatorInbound } from '@parley/bus';
import { describe, expect, it } from 'vitest';
import { handOver } from './inbound-handover.js';

const logger = { warn: () => undefined };
const message: SimulatorInbound = {
  numberId: 'n1',
  contact: '+15550001',
  id: 'sim-in-1',
  text: 'hi',
  sentAt: 1,
};

/** A runtime stand-in: answers the `answerOn`-th hand-over of each message (1: the first). */
async function runtime(bus: Bus, result: 'accepted' | 'refused', answerOn = 1) {
  const seen: string[] = [];
  await bus.subscribe(busChannels.simulatorInbound.name, (payload) => {
    const { id, numberId } = payload as SimulatorInbound;
    seen.push(id);
    if (seen.filter((each) => each === id).length === answerOn)
      void bus.publish(busChannels.simulatorReceipts(numberId).name, { id, result });
  });
  return seen;
}

describe('handing a simulator message to the runtimes', () => {
  it('is recorded once a runtime confirms it', async () => {
    const bus = new MemoryBus();
    const seen = await runtime(bus, 'accepted');
    const outcome = await handOver(message, { bus, logger, recorded: async () => false, timeoutMs: 2_000 });
    expect(outcome).toBe('recorded');
    expect(seen).toEqual(['sim-in-1']);
  });

  it('publishes again when the first hand-over got no answer', async () => {
    const bus = new MemoryBus();
    const seen = await runtime(bus, 'accepted', 2);
    const outcome = await handOver(message, {
      bus,
      logger,
      recorded: async () => false,
      timeoutMs: 2_000,
      retryMs: 20,
    });
    expect(outcome).toBe('recorded');
    expect(seen).toEqual(['sim-in-1', 'sim-in-1']);
  });

  it('reports a refusal (the session is gone), and a silence once the time is up', async () => {
    const bus = new MemoryBus();
    await runtime(bus, 'refused');
    expect(await handOver(message, { bus, logger, recorded: async () => false, timeoutMs: 2_000 })).toBe(
      'refused',
    );
    const silent = new MemoryBus();
    const started = Date.now();
    expect(
      await handOver(message, {
        bus: silent,
        logger,
        recorded: async () => false,
        timeoutMs: 100,
        retryMs: 30,
      }),
    ).toBe('unanswered');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('finds the message in Postgres when its receipt was lost', async () => {
    const silent = new MemoryBus();
    const outcome = await handOver(message, {
      bus: silent,
      logger,
      recorded: async () => true,
      timeoutMs: 2_000,
      retryMs: 20,
    });
    expect(outcome).toBe('recorded');
  });
});
