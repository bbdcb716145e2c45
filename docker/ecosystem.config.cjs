// PM2 without containers: `npx pm2-runtime start docker/ecosystem.config.cjs` (foreground) or
// `npx pm2 start docker/ecosystem.config.cjs`. Needs DATABASE_URL and REDIS_URL in the environment.
// The API runs in cluster mode (stateless); each runtime is its own app so they can be scaled and
// restarted one by one (`pm2 reload parley-api` reloads the API with no downtime). For log
// rotation install the module once: `npx pm2 install pm2-logrotate`.
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
      instances: process.env.PARLEY_API_INSTANCES || 2,
      wait_ready: false,
      env: { NODE_ENV: 'production', PORT: 3000 },
    },
    ...[1, 2].map((n) => ({
      ...shared,
      name: `parley-runtime-${n}`,
      script: 'runtime/dist/service/main.js',
      exec_mode: 'fork',
      // Chromium per WhatsApp number lives outside this heap; the runtime restarts browsers itself.
      max_memory_restart: '2G',
      env: { NODE_ENV: 'production', PARLEY_RUNTIME_PORT: 3000 + n, PARLEY_WHATSAPP: 1 },
    })),
  ],
};
