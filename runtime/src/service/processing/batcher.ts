interface Pending<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (reason: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is running wait and go together in the next one.
 * Under load, batches grow by themselves; when idle, an item runs at once (no timer latency).
 */
export class Batcher<I, O> {
  private queue: Pending<I, O>[] = [];
  private running = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 250,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Items waiting or running, for the queue-depth metric. */
  get depth(): number {
    return this.queue.length;
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let callers submitting in the same tick join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((pending) => pending.item));
        for (const [index, pending] of batch.entries()) pending.resolve(results[index] as O);
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.running = false;
  }
}
