import { Router } from 'express';
import type { RuntimeMetrics } from './metrics.js';
import { carriesToken, type OpsTokens, requireToken } from './ops-tokens.js';

export type Check = () => Promise<unknown>;

async function runCheck(
  check: Check,
  timeoutMs: number,
): Promise<{ ok: boolean; detail?: unknown; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return detail === undefined ? { ok: true } : { ok: true, detail };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `/healthz` (the process answers; public), `/readyz` (its dependencies answer: only ready or not
 * without a token, each check's details with one), `/metrics` (Prometheus; always needs a token,
 * since its labels carry number ids).
 */
export function healthRoutes(
  checks: Record<string, Check>,
  metrics: RuntimeMetrics,
  isStopping: () => boolean,
  tokens: OpsTokens,
): Router {
  const opsTokens = [tokens.internal, tokens.metrics];
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (request, response) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, 2_000)] as const),
    );
    const ready = !isStopping() && entries.every(([, result]) => result.ok);
    const status = ready ? 'ready' : 'not_ready';
    response
      .status(ready ? 200 : 503)
      .json(carriesToken(request, opsTokens) ? { status, checks: Object.fromEntries(entries) } : { status });
  });
  router.get(
    '/metrics',
    requireToken(opsTokens, 'PARLEY_METRICS_TOKEN', 'Metrics'),
    async (_request, response) => {
      response.setHeader('content-type', metrics.registry.contentType);
      response.send(await metrics.registry.metrics());
    },
  );
  return router;
}
