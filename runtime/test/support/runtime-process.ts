import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { INTERNAL_TOKEN, internalAuth } from './internal-token.js';

/** The built runtime entry point (`npm run build` first). */
const MAIN = fileURLToPath(new URL('../../dist/service/main.js', import.meta.url));

/** Every child still running, so a failing test never leaves one behind. */
const live = new Set<RuntimeProcess>();
process.on('exit', () => {
  for (const runtime of live) runtime.child.kill('SIGKILL');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
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

export interface RuntimeProcessOptions {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  port: number;
  /** Extra or overriding environment (PARLEY_STALE_EFFECT_MS, PARLEY_ALLOW_PRIVATE_HTTP…). */
  env?: Record<string, string>;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `node runtime/dist/service/main.js` as a child process, with its output kept for failure reports. */
export class RuntimeProcess {
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  exitedAt: number | null = null;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitedAt = Date.now();
        live.delete(this);
        resolve({ code, signal });
      });
    });
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') this.output.push(line);
      if (this.output.length > 400) this.output.splice(0, this.output.length - 400);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exitedAt === null;
  }

  /** Starts a runtime and resolves once `/healthz` answers (rejects after `timeoutMs`). */
  static async start(options: RuntimeProcessOptions, timeoutMs = 20_000): Promise<RuntimeProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
    // Something still answering on the port would pass the health check in the new child's place.
    const taken = await fetch(`http://127.0.0.1:${options.port}/healthz`, {
      signal: AbortSignal.timeout(1_000),
    }).then(
      () => true,
      () => false,
    );
    if (taken) throw new Error(`port ${options.port} is already taken by a running server`);
    const child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: options.redisUrl,
        PARLEY_REDIS_PREFIX: options.redisPrefix,
        PARLEY_RUNTIME_PORT: String(options.port),
        PARLEY_RUNTIME_HOST: '127.0.0.1',
        PARLEY_INTERNAL_TOKEN: INTERNAL_TOKEN,
        PARLEY_TIMER_POLL_MS: '200',
        PARLEY_MAINTENANCE_MS: '300',
        PARLEY_STALE_SEND_MS: '2000',
        PARLEY_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const runtime = new RuntimeProcess(child, options.port);
    live.add(runtime);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!runtime.running) {
        throw new Error(`the runtime exited while starting:\n${runtime.logTail()}`);
      }
      const ok = await fetch(`${runtime.base}/healthz`, { signal: AbortSignal.timeout(1_000) }).then(
        (response) => response.ok,
        () => false,
      );
      if (ok) return runtime;
      await sleep(50);
    }
    await runtime.kill('SIGKILL');
    throw new Error(`the runtime did not answer /healthz within ${timeoutMs} ms:\n${runtime.logTail()}`);
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs` if it has not exited). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 15_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A metric's value summed over its series matching `labels` (e.g. `result="accepted"`). */
  async metric(name: string, labels = ''): Promise<number> {
    const response = await fetch(`${this.base}/metrics`, {
      headers: internalAuth,
      signal: AbortSignal.timeout(5_000),
    });
    const text = await response.text();
    let total = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name)) continue;
      const rest = line.slice(name.length);
      if (!rest.startsWith(' ') && !rest.startsWith('{')) continue;
      if (labels !== '' && !rest.includes(labels)) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  logTail(lines = 40): string {
    return this.output.slice(-lines).join('\n');
  }
}

/** SIGKILLs every runtime child still running (afterAll / finally). */
export async function killAllRuntimes(): Promise<void> {
  await Promise.all([...live].map((runtime) => runtime.kill('SIGKILL')));
}
