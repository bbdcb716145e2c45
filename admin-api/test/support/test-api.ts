import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryBus } from '@parley/bus';
import type { Role } from '@parley/contract';
import type { Db, MediaStore } from '@parley/db';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { type Api, createApi } from '../../src/app.js';
import type { ApiConfig } from '../../src/config.js';
import { createTestDatabase, TEST_SECRET_KEY } from './test-db.js';

export const ADMIN_EMAIL = 'admin@parley.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface CallOptions {
  body?: unknown;
  token?: string;
  /** Acts in this workspace (X-Workspace-Id). */
  workspace?: string;
  headers?: Record<string, string>;
}

// biome-ignore lint/suspicious/noExplicitAny: test replies are read loosely; assertions check their shape.
type Loose = any;

export interface Reply<T = Loose> {
  status: number;
  body: T;
  headers: Headers;
}

/** A user signed in to the test API, calling it over HTTP. */
export interface Client {
  token: string;
  workspace?: string;
  call<T = Loose>(method: string, path: string, body?: unknown): Promise<Reply<T>>;
}

export interface TestApi {
  api: Api;
  db: Db;
  /** The database's connection string, for processes started by a test (the CLI). */
  databaseUrl: string;
  bus: MemoryBus;
  /** http://127.0.0.1:PORT/api/v1 */
  base: string;
  admin: Client;
  adminUserId: string;
  workspaceId: string;
  call<T = Loose>(method: string, path: string, options?: CallOptions): Promise<Reply<T>>;
  login(email: string, password: string, workspace?: string): Promise<Client>;
  /** Adds a member with this role to the admin's workspace (invited, accepted) and signs them in. */
  member(role: Role): Promise<Client>;
  /** The admin invites a new account with this email and password, which signs in and accepts. */
  join(email: string, password: string, role: Role): Promise<Client>;
  /** Another workspace where the admin is admin too: the same user acting elsewhere (X-Workspace-Id). */
  otherWorkspace(): Promise<Client>;
  /** A second API process, as in a scaled deployment: same database, bus and secrets. */
  replica(): Promise<{ call: TestApi['call']; close(): Promise<void> }>;
  close(): Promise<void>;
}

async function serve(api: Api): Promise<{ server: Server; base: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = api.app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  // Tests that parse 100,000-row exports block this process for seconds, which can land a reused
  // idle connection exactly as the server's default 5 s keep-alive closes it (ECONNRESET).
  server.keepAliveTimeout = 60_000;
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` };
}

/** Calls the API at `base` (…/api/v1) and parses JSON replies. */
function caller(base: string) {
  return async <T = Loose>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.workspace !== undefined) headers['x-workspace-id'] = options.workspace;
    const response = await fetch(`${base}${path}`, {
      method: method.toUpperCase(),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
    return { status: response.status, body: body as T, headers: response.headers };
  };
}

/**
 * The Admin API on an ephemeral port over a fresh Postgres database and an in-process bus, with
 * the first admin bootstrapped and signed in; counters in `redis` when given.
 */
export async function startTestApi(
  config: Partial<ApiConfig> = {},
  redis: Redis | null = null,
  media?: MediaStore,
): Promise<TestApi> {
  const database = await createTestDatabase();
  const bus = new MemoryBus();
  // Files a test stores (media, attachments) go to a folder of its own, removed with it.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-test-api-'));
  const apiOptions = {
    db: database.db,
    bus,
    redis,
    ...(media === undefined ? {} : { media }),
    logger: pino({ level: process.env.PARLEY_LOG_LEVEL ?? 'silent' }),
    config: {
      port: 0,
      dataDir,
      redisPrefix: `parley-test:${randomUUID()}:`,
      adminEmail: ADMIN_EMAIL,
      adminPassword: ADMIN_PASSWORD,
      secretKey: TEST_SECRET_KEY,
      jwtSecret: `test-secret-${randomUUID()}`,
      corsOrigins: [],
      bodyLimit: '2mb',
      loginPerMinute: 1000,
      apiPerMinute: 100_000,
      // Off unless a test sets it: a busy test machine must not shed the suite's own requests.
      loadShedding: { maxInFlight: 0, maxLagMs: 0 },
      ...config,
    },
  };
  const api = createApi(apiOptions);
  await api.bootstrap();
  const { server, base } = await serve(api);
  const call = caller(base);

  function client(token: string, workspace?: string): Client {
    return {
      token,
      ...(workspace === undefined ? {} : { workspace }),
      call: (method, path, body) =>
        call(method, path, {
          token,
          ...(workspace === undefined ? {} : { workspace }),
          ...(body === undefined ? {} : { body }),
        }),
    };
  }

  async function login(email: string, password: string, workspace?: string): Promise<Client> {
    const reply = await call<{ token: string }>('post', '/auth/login', { body: { email, password } });
    if (reply.status !== 200) throw new Error(`login failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    return client(reply.body.token, workspace);
  }

  /** The admin invites `email`; the person signs in and accepts. */
  async function join(email: string, password: string, role: Role): Promise<Client> {
    const invited = await admin.call('post', '/users', { email, password, role });
    if (invited.status !== 201)
      throw new Error(`could not invite a ${role}: ${JSON.stringify(invited.body)}`);
    const person = await login(email, password);
    const accepted = await person.call('post', `/invitations/${invited.body.id}/accept`);
    if (accepted.status !== 200) throw new Error(`could not accept: ${JSON.stringify(accepted.body)}`);
    return person;
  }

  const admin = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  const me = await admin.call<{ id: string; workspaceId: string }>('get', '/me');
  const workspaceId = me.body.workspaceId;

  return {
    api,
    db: database.db,
    databaseUrl: database.url,
    bus,
    base,
    admin,
    adminUserId: me.body.id,
    workspaceId,
    call,
    login,
    async member(role) {
      const email = `${role}-${randomUUID().slice(0, 8)}@parley.test`;
      return join(email, 'a long enough password', role);
    },
    join,
    async otherWorkspace() {
      const { rows } = await database.db.query<{ id: string }>(
        `insert into workspaces (name) values ('Other workspace') returning id`,
      );
      const id = (rows[0] as { id: string }).id;
      await database.db.query(
        `insert into workspace_members (workspace_id, user_id, role) values ($1, $2, 'admin')`,
        [id, me.body.id],
      );
      return client(admin.token, id);
    },
    async replica() {
      const second = await serve(createApi(apiOptions));
      return {
        call: caller(second.base),
        async close() {
          second.server.closeAllConnections();
          await new Promise((resolve) => second.server.close(resolve));
        },
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await bus.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `probe` until it returns a value other than undefined. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
