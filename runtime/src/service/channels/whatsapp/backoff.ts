export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before reconnect attempt `attempt` (1, 2, …): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" (a random point in the upper half) so numbers that dropped together (a
 * network blip, a Redis failover) do not all relaunch Chromium at the same moment.
 */
export function reconnectDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  if (attempt <= 0) return 0;
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
