interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is running wait and go together in the next one.
 * Under load, batches grow by themselves; when idle, an item runs at once (no timer latency).
 *
 * With `maxParallel` above 1, a further batch starts alongside the running ones only when a full
 * batch (`maxBatch` items) is waiting: at saturation the database works on several batches at
 * once, below it batches stay as large as one-at-a-time makes them. Only for work whose batches
 * may commit in any order.
 *
 * When a batch fails with an error `isolate` recognises as caused by one item (bad data, not an
 * outage), its items are run again one by one, so that item fails alone and the others succeed.
 */
export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 250,
    private readonly maxParallel = 1,
    private readonly isolate: (error: unknown) => boolean = () => false,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.running === 0) this.start(true);
      else if (this.running < this.maxParallel && this.queue.length >= this.maxBatch) this.start(false);
    });
  }

  /** Items waiting or running, for the queue-depth metric. */
  get depth(): number {
    return this.queue.length;
  }

  private start(first: boolean): void {
    this.running += 1;
    void this.drain(first);
  }

  private async drain(first: boolean): Promise<void> {
    // Let callers submitting in the same tick join the first batch.
    if (first) await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      // Another drain is running: it takes what is left unless a full batch is waiting.
      if (this.running > 1 && this.queue.length < this.maxBatch) break;
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((pending) => pending.item));
        for (const [index, pending] of batch.entries()) pending.resolve(results[index] as O);
      } catch (error) {
        if (batch.length > 1 && this.isolate(error)) await this.oneByOne(batch);
        else for (const pending of batch) pending.reject(error);
      }
    }
    this.running -= 1;
  }

  private async oneByOne(batch: Pending<I, O>[]): Promise<void> {
    for (const pending of batch) {
      try {
        const [result] = await this.run([pending.item]);
        pending.resolve(result as O);
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}
