import { freePort, killAllRuntimes, RuntimeProcess, type RuntimeProcessOptions } from './runtime-process.js';
import { createTestDatabase, createTestRedis } from './test-env.js';

export type RuntimeEnv = Awaited<ReturnType<typeof createRuntimeEnv>>;

/**
 * What a test of runtime processes runs on: its own database and Redis prefix, runtimes started
 * on them, an abort signal for its conversation drivers, and the clean-up of all of it.
 */
export async function createRuntimeEnv() {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const stop = new AbortController();
  return {
    database,
    redis,
    stop,
    /** A runtime on this database and Redis prefix (a free port unless one is given). */
    async start(options: Partial<RuntimeProcessOptions> = {}): Promise<RuntimeProcess> {
      return RuntimeProcess.start({
        databaseUrl: database.url,
        redisUrl: redis.url,
        redisPrefix: redis.prefix,
        port: options.port ?? (await freePort()),
        ...options,
      });
    },
    async cleanup(): Promise<void> {
      stop.abort();
      await killAllRuntimes();
      await redis.cleanup();
      await database.drop();
    },
  };
}
