import {
  type Bus,
  busChannels,
  type MalformedMessageLogger,
  publish,
  type SimulatorInbound,
  subscribe,
} from '@parley/bus';

export interface HandOverOptions {
  bus: Bus;
  logger: MalformedMessageLogger;
  /** Reads Postgres: whether a runtime recorded the message (when its receipt was missed). */
  recorded: () => Promise<boolean>;
  timeoutMs: number;
  /** How long to wait for a receipt before looking in Postgres and publishing again (500 ms). */
  retryMs?: number;
}

/** `recorded`: a runtime holds the message; `refused`: not a simulator number; `unanswered`: no runtime said. */
export type HandOverOutcome = 'recorded' | 'refused' | 'unanswered';

/**
 * Hands a simulator contact's message to the runtimes, which alone write the inbox, and waits for
 * one to record it. The message is published again until a receipt comes (or Postgres shows the
 * row), so a lost publish or receipt only costs time; the message id keeps it recorded once.
 */
export async function handOver(
  message: SimulatorInbound,
  options: HandOverOptions,
): Promise<HandOverOutcome> {
  const retryMs = options.retryMs ?? 500;
  // Set by the receipt handler, so an object the loop reads afresh.
  const receipt: { outcome: HandOverOutcome | null; wake: (() => void) | null } = {
    outcome: null,
    wake: null,
  };
  const unsubscribe = await subscribe(
    options.bus,
    busChannels.simulatorReceipts(message.numberId),
    (answer) => {
      if (answer.id !== message.id || receipt.outcome !== null) return;
      receipt.outcome = answer.result === 'refused' ? 'refused' : 'recorded';
      receipt.wake?.();
    },
    options.logger,
  );
  try {
    const deadline = Date.now() + options.timeoutMs;
    while (receipt.outcome === null) {
      await publish(options.bus, busChannels.simulatorInbound, message).catch((error: unknown) =>
        options.logger.warn({ err: error }, 'could not hand a simulator message to the runtimes'),
      );
      await new Promise<void>((resolve) => {
        if (receipt.outcome !== null) return resolve();
        const timer = setTimeout(resolve, Math.max(0, Math.min(retryMs, deadline - Date.now())));
        receipt.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      receipt.wake = null;
      if (receipt.outcome !== null) break;
      const inPostgres = await options.recorded().catch((error: unknown) => {
        options.logger.warn({ err: error }, 'could not look for a simulator message in Postgres');
        return false;
      });
      if (inPostgres) return 'recorded';
      if (Date.now() >= deadline) return 'unanswered';
    }
    return receipt.outcome;
  } finally {
    await unsubscribe();
  }
}
