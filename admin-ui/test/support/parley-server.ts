import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@parley/db/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ParleyServer {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** The server's PARLEY_DATA_DIR (its database, media folder…). */
  dataDir: string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The real product as `npm start` runs it (node start.mjs: API, runtime and the built admin UI on one
 * port), with its data in a temporary directory; `env` adds settings. Its database is a fresh one on
 * the machine's Postgres (dropped at `stop`), which starts several times faster than the embedded
 * database; `embedded: true` runs on the embedded default instead, as a first `npm start` does.
 */
export async function startParley(
  env: Record<string, string> = {},
  options: { embedded?: boolean } = {},
): Promise<ParleyServer> {
  if (!existsSync(join(ROOT, 'admin-ui/dist/index.html'))) {
    throw new Error('admin-ui/dist is missing: run `npm run build` first (npm test does).');
  }
  const database =
    options.embedded === true || env.DATABASE_URL !== undefined ? null : await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-ui-test-'));
  const port = await freePort();
  const adminPassword = 'correct-horse-battery-staple';
  const child: ChildProcess = spawn(process.execPath, ['start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_PASSWORD: adminPassword,
      PARLEY_ADMIN_EMAIL: 'admin@parley.test',
      PARLEY_LOG_LEVEL: 'warn',
      PARLEY_LOGIN_PER_MINUTE: '100',
      DATABASE_URL: database?.url ?? '',
      REDIS_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    output += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const started = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`Parley did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes('Parley is running at')) {
        clearTimeout(deadline);
        resolve();
      } else if (child.exitCode !== null) {
        clearTimeout(deadline);
        reject(new Error(`Parley exited (${child.exitCode}):\n${output}`));
      } else {
        setTimeout(check, 100);
      }
    };
    check();
  });
  await started.catch(async (error: unknown) => {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
    throw error;
  });
  return {
    url,
    adminEmail: 'admin@parley.test',
    adminPassword,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}
