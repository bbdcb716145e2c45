import { Router } from 'express';
import type { RuntimeMetrics } from './metrics.js';

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

/** `/healthz` (the process answers), `/readyz` (its dependencies answer), `/metrics` (Prometheus). */
export function healthRoutes(
  checks: Record<string, Check>,
  metrics: RuntimeMetrics,
  isStopping: () => boolean,
): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => [name, await runCheck(check, 2_000)] as const),
    );
    const ready = !isStopping() && entries.every(([, result]) => result.ok);
    response
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', checks: Object.fromEntries(entries) });
  });
  router.get('/metrics', async (_request, response) => {
    response.setHeader('content-type', metrics.registry.contentType);
    response.send(await metrics.registry.metrics());
  });
  return router;
}
