/**
 * Hands a contact's messages over in the order they were sent. Each contact's burst is collected
 * for `debounceMs` (at most `maxWaitMs` from its first message), sorted by WhatsApp's timestamp
 * (arrival order for equal stamps), and handled one after another, batch after batch: a slow
 * media download never lets a later text overtake it. Different contacts run in parallel.
 */
export class InboundSequencer<T extends { timestamp: number }> {
  private readonly pending = new Map<string, { items: T[]; timer: NodeJS.Timeout; firstAt: number }>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(
    private readonly handle: (key: string, items: T[]) => Promise<void>,
    private readonly debounceMs: number,
    private readonly maxWaitMs = Math.max(2_000, debounceMs * 4),
    private readonly now: () => number = Date.now,
  ) {}

  push(key: string, item: T): void {
    const entry = this.pending.get(key);
    if (entry === undefined) {
      const timer = setTimeout(() => this.release(key), this.debounceMs);
      this.pending.set(key, { items: [item], timer, firstAt: this.now() });
      return;
    }
    entry.items.push(item);
    clearTimeout(entry.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, entry.firstAt + this.maxWaitMs - this.now()));
    entry.timer = setTimeout(() => this.release(key), wait);
  }

  private release(key: string): void {
    const entry = this.pending.get(key);
    if (entry === undefined) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    const ordered = inTimestampOrder(entry.items);
    const previous = this.chains.get(key) ?? Promise.resolve();
    const chain = previous.then(() => this.handle(key, ordered)).catch(() => undefined);
    this.chains.set(key, chain);
    void chain.then(() => {
      if (this.chains.get(key) === chain) this.chains.delete(key);
    });
  }

  /** Hands over everything collected now and waits until it is handled (shutdown). */
  async flush(): Promise<void> {
    for (const key of [...this.pending.keys()]) this.release(key);
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  get size(): number {
    return this.pending.size + this.chains.size;
  }
}

function inTimestampOrder<T extends { timestamp: number }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.timestamp - b.item.timestamp || a.index - b.index)
    .map(({ item }) => item);
}
