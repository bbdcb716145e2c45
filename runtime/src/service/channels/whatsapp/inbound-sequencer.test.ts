import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InboundSequencer } from './inbound-sequencer.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('InboundSequencer', () => {
  it('collects a burst, then hands it over in send order', async () => {
    const handled: string[][] = [];
    const sequencer = new InboundSequencer<{ id: string; timestamp: number }>(async (_key, items) => {
      handled.push(items.map((item) => item.id));
    }, 300);
    sequencer.push('ann', { id: 'second', timestamp: 2 });
    sequencer.push('ann', { id: 'first', timestamp: 1 });
    await vi.advanceTimersByTimeAsync(200);
    sequencer.push('ann', { id: 'third', timestamp: 3 });
    expect(handled).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(handled).toEqual([['first', 'second', 'third']]);
  });

  it('never lets a later batch overtake a slow one of the same contact', async () => {
    const log: string[] = [];
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sequencer = new InboundSequencer<{ id: string; timestamp: number }>(async (_key, items) => {
      for (const item of items) {
        if (item.id === 'image') await slow;
        log.push(item.id);
      }
    }, 100);
    sequencer.push('ann', { id: 'image', timestamp: 1 });
    await vi.advanceTimersByTimeAsync(150);
    sequencer.push('ann', { id: 'text', timestamp: 2 });
    sequencer.push('bob', { id: 'bob', timestamp: 5 });
    await vi.advanceTimersByTimeAsync(150);
    expect(log).toEqual(['bob']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['bob', 'image', 'text']);
  });

  it('does not wait forever on a contact who keeps typing', async () => {
    const handled: number[] = [];
    const sequencer = new InboundSequencer<{ timestamp: number }>(
      async (_key, items) => {
        handled.push(items.length);
      },
      300,
      1000,
    );
    for (let i = 0; i < 10; i++) {
      sequencer.push('ann', { timestamp: i });
      await vi.advanceTimersByTimeAsync(250);
    }
    expect(handled[0]).toBeGreaterThan(0);
    expect(handled[0]).toBeLessThan(10);
  });

  it('flush hands everything over at once', async () => {
    const handled: number[] = [];
    const sequencer = new InboundSequencer<{ timestamp: number }>(async (_key, items) => {
      handled.push(items.length);
    }, 10_000);
    sequencer.push('ann', { timestamp: 1 });
    sequencer.push('bob', { timestamp: 1 });
    await sequencer.flush();
    expect(handled).toEqual([1, 1]);
    expect(sequencer.size).toBe(0);
  });
});
