/**
 * Token bucket per number: `perSecond` sends on average, bursts of up to `burst`. WhatsApp bans
 * numbers that message quickly; the limit keeps a number's pace human.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Whether this bucket paces at `perSecond` with bursts of `burst`. */
  follows(perSecond: number, burst: number): boolean {
    return this.perSecond === perSecond && this.burst === burst;
  }

  /** Resolves when a send may go; callers are served in order. */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.wait());
    this.chain = turn;
    return turn;
  }

  private async wait(): Promise<void> {
    if (this.perSecond <= 0) return;
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.perSecond);
      this.updatedAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ((1 - this.tokens) / this.perSecond) * 1000));
    }
  }
}
