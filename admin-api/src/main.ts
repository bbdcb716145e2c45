import { connectBus } from '@parley/bus';
import { dbOptionsFromEnv, migrate, openDb, resolveSecretKey } from '@parley/db';
import { pino } from 'pino';
import { createApi } from './app.js';
import { apiConfigFromEnv } from './config.js';
import { printAdminLogin } from './modules/auth/print-admin-login.js';

/**
 * The API as its own process (scaled behind a load balancer in production). `npm start` runs it
 * together with the runtime instead; see start.mjs.
 */
const logger = pino({ name: 'parley-api', level: process.env.PARLEY_LOG_LEVEL ?? 'info' });
const dbOptions = dbOptionsFromEnv();
const config = apiConfigFromEnv(await resolveSecretKey(process.env, dbOptions.dataDir ?? '.parley'));
const db = await openDb({ ...dbOptions, applicationName: 'parley-api' });
await migrate(db);
const { bus, redis, close } = await connectBus({ redisUrl: config.redisUrl, prefix: config.redisPrefix, db });
const api = createApi({ db, bus, redis, config, logger, health: true });
printAdminLogin(await api.bootstrap(), `http://localhost:${config.port}`);
const stopRetention = api.scheduleRetention();
const stopAlerts = api.scheduleAlerts();
const stopTests = api.scheduleTests();
const server = api.app.listen(config.port, () => logger.info({ port: config.port }, 'api listening'));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    stopRetention();
    stopAlerts();
    stopTests();
    server.close();
    server.closeAllConnections();
    void close()
      .then(() => db.close())
      .finally(() => process.exit(0));
  });
}
