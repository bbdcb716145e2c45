import { type Bus, busChannels } from '@parley/db';

/** What a runtime publishes on a simulator number's channel after each committed checkpoint. */
interface TurnEvent {
  type: 'turn';
  contact: string;
  inboundIds: number[];
  pendingHttp?: number;
}

function isTurn(message: unknown): message is TurnEvent {
  const turn = message as Partial<TurnEvent> | null;
  return turn?.type === 'turn' && typeof turn.contact === 'string' && Array.isArray(turn.inboundIds);
}

export interface TurnWaiterOptions {
  bus: Bus;
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
}

/**
 * Waits for the runtime to finish the turn an inbound message caused, including the turns that
 * carry on after its http_request calls answer. The runtime's `turn` notifications decide it
 * quickly; Postgres (the inbound row processed, no pending http call) decides it when a
 * notification is missed. Created (subscribed) before the inbound row is written, so no
 * notification can slip by.
 */
export class TurnWaiter {
  private readonly turns: TurnEvent[] = [];
  private wake: (() => void) | null = null;
  /** Something arrived since the loop last looked (so it does not sleep through it). */
  private stirred = false;
  private unsubscribe: (() => Promise<void>) | null = null;

  private constructor(private readonly options: TurnWaiterOptions) {}

  static async start(options: TurnWaiterOptions): Promise<TurnWaiter> {
    const waiter = new TurnWaiter(options);
    waiter.unsubscribe = await options.bus.subscribe(busChannels.simulator(options.numberId), (message) => {
      const contact = (message as { contact?: unknown } | null)?.contact;
      if (contact !== options.contact) return;
      if (isTurn(message)) waiter.turns.push(message);
      waiter.stirred = true;
      waiter.wake?.();
    });
    return waiter;
  }

  /** From the turn that handled `inboundId` on, whether one left no http call pending. */
  private decidedByBus(inboundId: number): boolean {
    const index = this.turns.findIndex((turn) => turn.inboundIds.map(Number).includes(inboundId));
    if (index === -1) return false;
    return this.turns.slice(index).some((turn) => (turn.pendingHttp ?? 0) === 0);
  }

  /** Resolves true once the turn is over, false when `timeoutMs` passed first. */
  async wait(inboundId: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    const maxPollMs = this.options.maxPollMs ?? 1_000;
    let pollMs = this.options.firstPollMs ?? 200;
    // Postgres is read only once the bus said something or a poll interval passed.
    for (let first = true; ; first = false) {
      this.stirred = false;
      if (this.decidedByBus(inboundId)) return true;
      if (!first && (await this.options.settled(inboundId))) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      if (this.stirred) continue;
      const delay = Math.min(pollMs, left);
      pollMs = Math.min(pollMs * 2, maxPollMs);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, delay);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  async close(): Promise<void> {
    await this.unsubscribe?.().catch(() => undefined);
    this.unsubscribe = null;
  }
}
