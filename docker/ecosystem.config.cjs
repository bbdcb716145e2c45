// PM2 without containers: `npx pm2-runtime start docker/ecosystem.config.cjs` (foreground) or
// `npx pm2 start docker/ecosystem.config.cjs`. Every setting comes from the environment PM2 is started
// in (see .env.example); this file only picks the ports and the number of processes. The API runs in
// cluster mode (stateless); each runtime is its own app so they can be scaled and restarted one by one
// (`pm2 reload parley-api` reloads the API with no downtime). For log rotation install the module
// once: `npx pm2 install pm2-logrotate`.

// Several processes, often on several hosts, must share one database, one Redis and one key: a key
// generated per data folder would make each host unable to read the others' sessions and tokens.
const required = ['DATABASE_URL', 'REDIS_URL', 'PARLEY_SECRET_KEY'];
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `Parley under PM2 needs ${missing.join(', ')} in the environment: every API and runtime process ` +
      'must share one database, one Redis and one PARLEY_SECRET_KEY (32+ random characters). ' +
      'See docs/operations.md, "Deploying".',
  );
}

function count(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be a whole number ≥ ${min}, got “${raw}”`);
  }
  return value;
}

const apiPort = count('PORT', 3000, 1);
// Runtime n listens on PARLEY_RUNTIME_PORT + n - 1 (on PARLEY_RUNTIME_HOST, loopback by default).
const firstRuntimePort = count('PARLEY_RUNTIME_PORT', 3001, 1);
const runtimes = count('PARLEY_RUNTIMES', 2, 1);
if (apiPort >= firstRuntimePort && apiPort < firstRuntimePort + runtimes) {
  throw new Error(
    `PORT ${apiPort} is also a runtime's port (PARLEY_RUNTIME_PORT ${firstRuntimePort} to ${firstRuntimePort + runtimes - 1}): choose ports that do not overlap.`,
  );
}

const shared = {
  cwd: `${__dirname}/..`,
  kill_timeout: 30000,
  max_memory_restart: '1G',
  merge_logs: true,
  // As in the Dockerfile: a larger young generation for many short-lived objects.
  node_args: '--max-semi-space-size=32',
  time: true,
};

module.exports = {
  apps: [
    {
      ...shared,
      name: 'parley-api',
      script: 'admin-api/dist/main.js',
      exec_mode: 'cluster',
      instances: count('PARLEY_API_INSTANCES', 2, 1),
      wait_ready: false,
      env: { NODE_ENV: process.env.NODE_ENV || 'production', PORT: String(apiPort) },
    },
    ...Array.from({ length: runtimes }, (_, i) => ({
      ...shared,
      name: `parley-runtime-${i + 1}`,
      script: 'runtime/dist/service/main.js',
      exec_mode: 'fork',
      // Chromium per WhatsApp number lives outside this heap; the runtime restarts browsers itself.
      max_memory_restart: '2G',
      env: {
        NODE_ENV: process.env.NODE_ENV || 'production',
        PARLEY_RUNTIME_PORT: String(firstRuntimePort + i),
      },
    })),
  ],
};
