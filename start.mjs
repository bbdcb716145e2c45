// `npm start`: the whole product in one process — Admin API, runtime and admin UI on one port.
// That port is public: it serves `/api/v1`, the UI and the runtime's health routes, never the
// runtime's internal simulator endpoints (see docs/security.md, "One public door").
// Embedded defaults (PGlite under PARLEY_DATA_DIR, in-process state and notifications), or
// DATABASE_URL / REDIS_URL when set. This file only composes the packages; the API and the
// runtime meet through the shared database and bus, never by importing each other.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Build on first start (a fresh clone after `npm ci`), not on every start.
const built = ['shared-schemas', 'contract', 'engine', 'db', 'bus', 'runtime', 'admin-api'].every((name) =>
  existsSync(new URL(`./${name}/dist/index.js`, import.meta.url)),
);
if (!built || !existsSync(new URL('./admin-ui/dist/index.html', import.meta.url))) {
  process.stdout.write('Building Parley (first start only)…\n');
  execSync('npm run build', { stdio: 'inherit', cwd: fileURLToPath(new URL('.', import.meta.url)) });
}

const { apiConfigFromEnv, createApi, printAdminLogin } = await import('@parley/admin-api');
const { DataDirInUse, dbOptionsFromEnv, migrate, openDb, resolveSecretKey } = await import('@parley/db');
const { connectBus } = await import('@parley/bus');
const { errorHandler, RuntimeService, runtimeConfigFromEnv } = await import('@parley/runtime');
const { default: express } = await import('express');
const { pino } = await import('pino');

const logger = pino({ name: 'parley', level: process.env.PARLEY_LOG_LEVEL ?? 'info' });
const dbOptions = dbOptionsFromEnv();
const secret = await resolveSecretKey(process.env, dbOptions.dataDir);
const apiConfig = apiConfigFromEnv(secret);
const db = await openDb({ ...dbOptions, applicationName: 'parley' }).catch((cause) => {
  if (!(cause instanceof DataDirInUse)) throw cause;
  process.stderr.write(`\n  ${cause.message}\n\n`);
  process.exit(1);
});
await migrate(db);
const connected = await connectBus({ redisUrl: apiConfig.redisUrl, prefix: apiConfig.redisPrefix, db });

const runtime = await RuntimeService.start(runtimeConfigFromEnv(), {
  db,
  bus: connected.bus,
  listen: false,
  logger,
});
const api = createApi({ db, bus: connected.bus, redis: connected.redis, config: apiConfig, logger });
const admin = await api.bootstrap();
const stopRetention = api.scheduleRetention();
const stopAlerts = api.scheduleAlerts();
const stopTests = api.scheduleTests();

const app = express();
app.disable('x-powered-by');
app.use(api.app);
app.use(runtime.healthRouter());
const ui = fileURLToPath(new URL('./admin-ui/dist/', import.meta.url));
if (existsSync(ui)) {
  app.use(express.static(ui, { index: false, maxAge: '1h' }));
  app.get('/{*splat}', (_request, response) => response.sendFile('index.html', { root: ui }));
}
app.use((_request, response) => {
  response.status(404).json({ error: { code: 'not_found', message: 'No such endpoint', details: null } });
});
app.use(errorHandler(logger));

const server = app.listen(apiConfig.port, () => {
  printAdminLogin(admin, `http://localhost:${apiConfig.port}`);
});

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('stopping');
    stopRetention();
    stopAlerts();
    stopTests();
    server.close();
    server.closeAllConnections();
    await runtime.stop();
    await connected.close();
    await db.close();
    process.exit(0);
  });
}
