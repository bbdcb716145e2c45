import type { Bus } from '@parley/bus';
import type { Db } from '@parley/db';
import { type RuntimeConfig, RuntimeService, runtimeConfigFromEnv } from '@parley/runtime';
import { TEST_SECRET_KEY } from './test-db.js';

/**
 * A real runtime in this process, on the test's database and bus (tests only: the API itself
 * never imports the runtime; they meet in Postgres and on the bus).
 */
export function startTestRuntime(
  db: Db,
  bus: Bus,
  config: Partial<RuntimeConfig> = {},
): Promise<RuntimeService> {
  return RuntimeService.start(
    {
      ...runtimeConfigFromEnv({ PARLEY_SECRET_KEY: TEST_SECRET_KEY }),
      port: 0,
      host: '127.0.0.1',
      timerPollMs: 100,
      maintenanceMs: 200,
      allowPrivateHttp: true,
      ...config,
    },
    { db, bus, listen: false },
  );
}
