import {
  type Bus,
  busChannels,
  type MalformedMessageLogger,
  type SimulatorTurn,
  subscribe,
} from '@parley/bus';

export interface TurnWaiterOptions {
  bus: Bus;
  logger: MalformedMessageLogger;
  numberId: string;
  contact: string;
  /** Reads Postgres: whether the inbound row is handled and no http call of the contact is pending. */
  settled: (inboundId: number) => Promise<boolean>;
  /**
   * Checks of Postgres when the bus says nothing: first after `firstPollMs` (200), backing off to
   * `maxPollMs` (1000). A safety net for a lost notification, so not early: every check is a query,
   * and under load turns take longer than a short first interval (polls would pile onto Postgres).
   */
  firstPollMs?: number;
  maxPollMs?: number;
  /**
   * How much longer than the timeout a turn may take once the runtime reported it waiting on its
   * own calls (web requests, model calls, each up to a minute): the reply is on its way then.
   */
  callGraceMs?: number;
}

/**
 * Waits for the runtime to finish the turn an inbound message caused, including the turns that
 * carry on after its http_request calls answer. The runtime's `turn` notifications decide it
 * quickly; Postgres (the inbound row processed, no pending http call) decides it when a
 * notification is missed. Created (subscribed) before the inbound row is written, so no
 * notification can slip by.
 */
export class TurnWaiter {
  private readonly turns: SimulatorTurn[] = [];
  private wake: (() => void) | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  private constructor(private readonly options: TurnWaiterOptions) {}

  static async start(options: TurnWaiterOptions): Promise<TurnWaiter> {
    const waiter = new TurnWaiter(options);
    // Only turn ends matter here; the channel's deliveries (message by message) are for live views.
    waiter.unsubscribe = await subscribe(
      options.bus,
      busChannels.simulator(options.numberId),
      (message) => {
        if (message.type !== 'turn' || message.contact !== options.contact) return;
        waiter.turns.push(message);
        waiter.wake?.();
      },
      options.logger,
    );
    return waiter;
  }

  /**
   * The turns from the one that handled `inboundId` to the first after it that left no http call
   * pending, or null while the bus has not reported that far.
   */
  private decidedByBus(inboundId: number): SimulatorTurn[] | null {
    const first = this.turns.findIndex((turn) => turn.inboundIds.map(Number).includes(inboundId));
    if (first === -1) return null;
    const last = this.turns.findIndex((turn, index) => index >= first && (turn.pendingHttp ?? 0) === 0);
    return last === -1 ? null : this.turns.slice(first, last + 1);
  }

  /** Whether the bus reported the turn of `inboundId` and it waits on calls of its own. */
  private waitsOnCalls(inboundId: number): boolean {
    return this.turns.some(
      (turn) => turn.inboundIds.map(Number).includes(inboundId) && (turn.pendingHttp ?? 0) > 0,
    );
  }

  /** Sleeps up to `ms`; resolves true when a turn event cut it short. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve(true);
      };
    });
  }

  /**
   * Waits until the turn is over. Resolves with the turns the bus reported for it, [] when Postgres
   * showed it over without them (a notification was missed), or null when `timeoutMs` passed first.
   */
  async wait(inboundId: number, timeoutMs: number): Promise<SimulatorTurn[] | null> {
    const started = Date.now();
    const maxPollMs = this.options.maxPollMs ?? 1_000;
    let pollMs = this.options.firstPollMs ?? 200;
    for (;;) {
      const turns = this.decidedByBus(inboundId);
      if (turns !== null) return turns;
      const deadline =
        started + timeoutMs + (this.waitsOnCalls(inboundId) ? (this.options.callGraceMs ?? 0) : 0);
      const left = deadline - Date.now();
      if (left <= 0) return null;
      if (await this.sleep(Math.min(pollMs, left))) continue;
      // The bus was quiet for a whole interval: ask Postgres.
      if (await this.options.settled(inboundId)) return this.decidedByBus(inboundId) ?? [];
      pollMs = Math.min(pollMs * 2, maxPollMs);
    }
  }

  async close(): Promise<void> {
    this.wake?.();
    // Closing on the way out: a failed unsubscribe leaves only a handler nothing waits on.
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = null;
  }
}
