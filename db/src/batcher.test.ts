import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A batch runner whose batches finish when the test says so. */
function controlled() {
  const batches: { items: number[]; finish: () => void }[] = [];
  const run = (items: number[]) =>
    new Promise<number[]>((resolve) => {
      batches.push({ items, finish: () => resolve(items.map((item) => item * 10)) });
    });
  return { batches, run };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('groups what arrives while a batch runs into the next one', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run, 100);
    const first = batcher.submit(1);
    await tick();
    const rest = [2, 3, 4].map((item) => batcher.submit(item));
    await tick();
    expect(batches.map((batch) => batch.items)).toEqual([[1]]);
    batches[0]?.finish();
    await tick();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
    batches[1]?.finish();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
  });

  it('runs one batch at a time by default, however many items wait', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run, 2);
    const results = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    await tick();
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2]]);
    batches[0]?.finish();
    await tick();
    expect(batches).toHaveLength(2);
    batches[1]?.finish();
    await tick();
    batches[2]?.finish();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50]);
    expect(batches.map((batch) => batch.items)).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('starts a parallel batch only when a full one waits', async () => {
    const { batches, run } = controlled();
    const batcher = new Batcher(run, 3, 2);
    const results = [batcher.submit(1)];
    await tick();
    expect(batches).toHaveLength(1);
    // Two waiting: less than a full batch, so they wait for the running one.
    results.push(batcher.submit(2), batcher.submit(3));
    await tick();
    expect(batches).toHaveLength(1);
    // A third makes a full batch: it starts alongside.
    results.push(batcher.submit(4));
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4]]);
    // Never more than maxParallel at once.
    results.push(...[5, 6, 7].map((item) => batcher.submit(item)));
    await tick();
    expect(batches).toHaveLength(2);
    batches[1]?.finish();
    await tick();
    expect(batches.map((batch) => batch.items)).toEqual([[1], [2, 3, 4], [5, 6, 7]]);
    batches[0]?.finish();
    batches[2]?.finish();
    expect(await Promise.all(results)).toEqual([10, 20, 30, 40, 50, 60, 70]);
  });

  it('rejects every item of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const batcher = new Batcher(async (items: number[]) => {
      calls += 1;
      if (calls === 1) throw new Error('down');
      return items;
    });
    const failed = batcher.submit(1);
    await expect(failed).rejects.toThrow('down');
    expect(await batcher.submit(2)).toBe(2);
  });

  it('runs a batch failing on one bad item again item by item, so only that item fails', async () => {
    const runs: number[][] = [];
    const bad = Object.assign(new Error('invalid byte sequence'), { code: '22021' });
    const batcher = new Batcher(
      async (items: number[]) => {
        runs.push(items);
        if (items.includes(2)) throw bad;
        return items.map((item) => item * 10);
      },
      100,
      1,
      (error) => error === bad,
    );
    const results = await Promise.allSettled([1, 2, 3].map((item) => batcher.submit(item)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: bad },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(runs).toEqual([[1, 2, 3], [1], [2], [3]]);
  });
});
