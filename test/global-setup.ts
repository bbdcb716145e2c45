import { createConnection } from 'node:net';

/** Where the integration tests expect Postgres and Redis (override with the PARLEY_TEST_* URLs). */
const services = [
  {
    name: 'Postgres',
    url: process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    port: 5432,
  },
  { name: 'Redis', url: process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', port: 6379 },
];

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Fails the run at once, with what to do, when Postgres or Redis is not there. */
export default async function setup(): Promise<void> {
  const missing: string[] = [];
  for (const service of services) {
    const url = new URL(service.url);
    if (!(await reachable(url.hostname, Number(url.port || service.port))))
      missing.push(`${service.name} at ${url.host}`);
  }
  if (missing.length > 0) {
    throw new Error(
      `The test suite needs ${missing.join(' and ')}, which did not answer. Start them (CI: .ci/run starts them), ` +
        'or point PARLEY_TEST_POSTGRES_URL / PARLEY_TEST_REDIS_URL at running ones.',
    );
  }
}
