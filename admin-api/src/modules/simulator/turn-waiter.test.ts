import { busChannels, MemoryBus, publish } from '@parley/bus';
import { describe, expect, it } from 'vitest';
import { TurnWaiter } from './turn-waiter.js';

const logger = { warn: () => undefined };

async function waiterOn(bus: MemoryBus, callGraceMs?: number) {
  return TurnWaiter.start({
    bus,
    logger,
    numberId: 'n1',
    contact: '34600000001',
    settled: async () => false,
    firstPollMs: 20,
    maxPollMs: 20,
    ...(callGraceMs === undefined ? {} : { callGraceMs }),
  });
}

const turn = (inboundIds: number[], pendingHttp: number) => ({
  type: 'turn' as const,
  contact: '34600000001',
  inboundIds,
  pendingHttp,
});

describe('TurnWaiter', () => {
  it('gives up at the timeout when the runtime reports nothing', async () => {
    const bus = new MemoryBus();
    const waiter = await waiterOn(bus, 5_000);
    const started = Date.now();
    expect(await waiter.wait(7, 100)).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
    await waiter.close();
  });

  it('waits longer for a turn that waits on its own calls (a model, a web request), until it ends', async () => {
    const bus = new MemoryBus();
    const waiter = await waiterOn(bus, 5_000);
    const waiting = waiter.wait(7, 100);
    await publish(bus, busChannels.simulator('n1'), turn([7], 1));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish(bus, busChannels.simulator('n1'), turn([], 0));
    expect(await waiting).toEqual([turn([7], 1), turn([], 0)]);
    await waiter.close();
  });
});
