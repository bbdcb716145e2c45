import type { SendPolicy } from './outbound-dispatcher.js';

/**
 * A number's send policy: the process-wide one, with the pace and burst the admin set on the
 * number (PATCH /numbers/{id}: settings.sendPerSecond, settings.sendBurst) when they are valid.
 */
export function numberSendPolicy(
  base: SendPolicy,
  settings: Record<string, unknown> | undefined,
): SendPolicy {
  const perSecond = settings?.sendPerSecond;
  const burst = settings?.sendBurst;
  return {
    ...base,
    ...(typeof perSecond === 'number' && perSecond > 0 ? { perSecond } : {}),
    ...(typeof burst === 'number' && Number.isInteger(burst) && burst >= 1 ? { burst } : {}),
  };
}
