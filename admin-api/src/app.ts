import { AiSdkGateway } from '@parley/ai';
import type { Bus } from '@parley/bus';
import { NoSuchEndpoint, TooLarge } from '@parley/contract';
import {
  cipherPurposes,
  type Db,
  fetchFor,
  type MediaStore,
  mediaStoreFromEnv,
  ping,
  SecretCipher,
} from '@parley/db';
import cors from 'cors';
import express, { type Express, type Request, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ApiContext } from './api-context.js';
import type { ApiConfig } from './config.js';
import { clientAddress } from './http/client-address.js';
import { errorMiddleware } from './http/error-middleware.js';
import { loadShedding } from './http/load-shedding.js';
import { mountRoutes } from './http/mount-routes.js';
import { buildOpenApi } from './http/openapi.js';
import { RateLimiter } from './http/rate-limit.js';
import { checkRoleTable } from './http/role-table.js';
import type { Caller, RouteDefinition } from './http/route.js';
import { Mailer } from './mail/mailer.js';
import { AiCredentialsRepository } from './modules/ai-credentials/ai-credentials.repository.js';
import { aiCredentialRoutes } from './modules/ai-credentials/ai-credentials.routes.js';
import { AiCredentialsService } from './modules/ai-credentials/ai-credentials.service.js';
import { AiUsageRepository } from './modules/ai-usage/ai-usage.repository.js';
import { aiUsageRoutes } from './modules/ai-usage/ai-usage.routes.js';
import { AiUsageService } from './modules/ai-usage/ai-usage.service.js';
import { AlertsRepository } from './modules/alerts/alerts.repository.js';
import { alertRoutes } from './modules/alerts/alerts.routes.js';
import { AlertsService, type AlertTiming, DEFAULT_ALERT_TIMING } from './modules/alerts/alerts.service.js';
import { AssignmentMail } from './modules/alerts/assignment-mail.js';
import { AnalyticsRepository } from './modules/analytics/analytics.repository.js';
import { analyticsRoutes } from './modules/analytics/analytics.routes.js';
import { AnalyticsService } from './modules/analytics/analytics.service.js';
import { ApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.js';
import { ApiKeysService } from './modules/api-keys/api-keys.service.js';
import { AuditRepository } from './modules/audit/audit.repository.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { AuthRepository } from './modules/auth/auth.repository.js';
import { authRoutes } from './modules/auth/auth.routes.js';
import { AuthService } from './modules/auth/auth.service.js';
import { type BootstrapResult, bootstrapAdmin } from './modules/auth/bootstrap-admin.js';
import { LoginThrottle } from './modules/auth/login-throttle.js';
import { PasswordResetsRepository } from './modules/auth/password-resets.repository.js';
import { TokenSigner } from './modules/auth/tokens.js';
import { ConversationTestsRepository } from './modules/conversation-tests/conversation-tests.repository.js';
import { conversationTestRoutes } from './modules/conversation-tests/conversation-tests.routes.js';
import {
  ConversationTestsService,
  type ScheduledFailure,
} from './modules/conversation-tests/conversation-tests.service.js';
import { ConversationsRepository } from './modules/conversations/conversations.repository.js';
import { conversationRoutes } from './modules/conversations/conversations.routes.js';
import { ConversationsService } from './modules/conversations/conversations.service.js';
import { HandoffService } from './modules/conversations/handoff.service.js';
import { ExportRepository } from './modules/export/export.repository.js';
import { exportRoutes } from './modules/export/export.routes.js';
import { ExportService } from './modules/export/export.service.js';
import { FlowsRepository } from './modules/flows/flows.repository.js';
import { flowRoutes } from './modules/flows/flows.routes.js';
import { FlowsService } from './modules/flows/flows.service.js';
import { HeaderSecrets } from './modules/flows/header-secrets.js';
import { IdempotencyRepository } from './modules/idempotency/idempotency.repository.js';
import { IdempotencyService } from './modules/idempotency/idempotency.service.js';
import { InboxRepository } from './modules/inbox/inbox.repository.js';
import { inboxRoutes } from './modules/inbox/inbox.routes.js';
import { InboxService } from './modules/inbox/inbox.service.js';
import { InvitationsRepository } from './modules/invitations/invitations.repository.js';
import { invitationRoutes } from './modules/invitations/invitations.routes.js';
import { InvitationsService } from './modules/invitations/invitations.service.js';
import { mediaRoutes } from './modules/media/media.routes.js';
import { MediaService } from './modules/media/media.service.js';
import { NumbersRepository } from './modules/numbers/numbers.repository.js';
import { numberRoutes } from './modules/numbers/numbers.routes.js';
import { NumbersService } from './modules/numbers/numbers.service.js';
import { policyRoutes } from './modules/policy/policy.routes.js';
import { ResponsesRepository } from './modules/responses/responses.repository.js';
import { responseRoutes } from './modules/responses/responses.routes.js';
import { ResponsesService } from './modules/responses/responses.service.js';
import { MediaCleanup } from './modules/retention/media-cleanup.js';
import { type PurgeCounts, RetentionRepository } from './modules/retention/retention.repository.js';
import { retentionRoutes } from './modules/retention/retention.routes.js';
import { RetentionService } from './modules/retention/retention.service.js';
import { SavedRepliesRepository } from './modules/saved-replies/saved-replies.repository.js';
import { savedReplyRoutes } from './modules/saved-replies/saved-replies.routes.js';
import { SavedRepliesService } from './modules/saved-replies/saved-replies.service.js';
import { SimulatorRepository } from './modules/simulator/simulator.repository.js';
import { simulatorRoutes } from './modules/simulator/simulator.routes.js';
import { DEFAULT_MAX_UPLOAD_BYTES, SimulatorService } from './modules/simulator/simulator.service.js';
import { StatusRepository } from './modules/status/status.repository.js';
import { statusRoutes } from './modules/status/status.routes.js';
import { StatusService } from './modules/status/status.service.js';
import { UsersRepository } from './modules/users/users.repository.js';
import { userRoutes } from './modules/users/users.routes.js';
import { UsersService } from './modules/users/users.service.js';
import { SigningSecrets } from './modules/workspace/signing-secrets.js';
import { WorkspaceRepository } from './modules/workspace/workspace.repository.js';
import { workspaceRoutes } from './modules/workspace/workspace.routes.js';
import { WorkspaceService } from './modules/workspace/workspace.service.js';

export const API_VERSION = '1.0.0';

export interface ApiOptions {
  db: Db;
  bus: Bus;
  redis: Redis | null;
  config: ApiConfig;
  logger: Logger;
  /** Serve /healthz and /readyz (when the API runs as its own process). */
  health?: boolean;
  /** Received files; default: the store the environment names (PARLEY_S3_*, else a folder). */
  media?: MediaStore;
  /** Alert webhook timeout and retries (tests shorten them). */
  alertTiming?: AlertTiming;
}

export interface Api {
  /** Mount at the server root: serves `/api/v1/...`. */
  app: Express;
  openapi: Record<string, unknown>;
  context: ApiContext;
  /** Creates the first admin on an empty database; encrypts secrets stored in clear or under the previous key. */
  bootstrap: () => Promise<BootstrapResult>;
  /** Starts the periodic retention pass (one API process at a time runs it); returns its stop. */
  scheduleRetention: (intervalMs?: number) => () => void;
  /** One retention pass now. */
  runRetention: () => Promise<PurgeCounts>;
  /** Starts the alert evaluator, every PARLEY_ALERT_CHECK_S (one API process at a time runs it); returns its stop. */
  scheduleAlerts: (intervalMs?: number) => () => void;
  /** One alert pass now: open, resolve, send what is due. */
  runAlerts: () => Promise<void>;
  /** Starts checking for due conversation test schedules every `intervalMs` (a minute); returns its stop. */
  scheduleTests: (intervalMs?: number) => () => void;
  /** Runs the due conversation test schedules now; returns how many it ran. */
  runDueTests: () => Promise<number>;
  /** Called after each failed scheduled test run, once recorded: where an alert is raised. */
  onScheduledTestFailure: (listener: (failure: ScheduledFailure) => Promise<void>) => void;
}

/** Everything under /api/v1: routes declared per module, validated and documented from one source. */
export function createApi(options: ApiOptions): Api {
  const { db, bus, redis, config, logger } = options;
  const accounts = new AuthRepository();
  const passwordResets = new PasswordResetsRepository();
  const apiKeys = new ApiKeysRepository();
  const context: ApiContext = {
    db,
    bus,
    config,
    logger,
    audit: new AuditRepository(),
    auth: new AuthService(
      db,
      bus,
      accounts,
      passwordResets,
      apiKeys,
      new TokenSigner(config.jwtSecret),
      new LoginThrottle(config.loginPerMinute, redis, config.redisPrefix),
      config.supabaseJwtSecret === undefined && config.supabaseUrl === undefined
        ? null
        : {
            ...(config.supabaseJwtSecret === undefined ? {} : { jwtSecret: config.supabaseJwtSecret }),
            ...(config.supabaseUrl === undefined ? {} : { url: config.supabaseUrl }),
            audience: config.supabaseJwtAudience ?? 'authenticated',
          },
      logger,
    ),
    rateLimiter: new RateLimiter(config.apiPerMinute, redis, config.redisPrefix),
    media: options.media ?? mediaStoreFromEnv(process.env, config.dataDir),
    mailer: config.mail === undefined ? null : new Mailer(config.mail),
  };
  const cipherFor = (purpose: (typeof cipherPurposes)[keyof typeof cipherPurposes]) =>
    SecretCipher.fromSecrets(purpose, config.secretKey, config.previousSecretKey);
  const flowsRepository = new FlowsRepository();
  const conversationsRepository = new ConversationsRepository();
  const flows = new FlowsService(
    context,
    flowsRepository,
    new HeaderSecrets(cipherFor(cipherPurposes.headerValue), logger),
  );
  const media = new MediaService(context);
  const responses = new ResponsesService(context, new ResponsesRepository());
  const retentionRepository = new RetentionRepository();
  const retention = new RetentionService(
    context,
    retentionRepository,
    new MediaCleanup(context.media, retentionRepository, logger),
  );
  const simulator = new SimulatorService(
    context,
    new SimulatorRepository(),
    flows,
    config.simulatorTimeoutMs,
    config.mediaMaxBytes,
  );
  const conversationTests = new ConversationTestsService(
    context,
    new ConversationTestsRepository(),
    flows,
    simulator,
  );
  flows.gatePublishOn((caller, flowId) => conversationTests.gatePublish(caller, flowId));
  const invitations = new InvitationsRepository();
  const workspaces = new WorkspaceRepository();
  const signingSecrets = new SigningSecrets(cipherFor(cipherPurposes.signingSecret), workspaces, logger);
  const alertsRepository = new AlertsRepository();
  const alerts = new AlertsService(
    context,
    alertsRepository,
    signingSecrets,
    options.alertTiming ?? DEFAULT_ALERT_TIMING,
  );
  // A hand-off raises its alerts at once, and a person given a conversation is emailed; ended with the bus.
  alerts
    .listenForHandoffs(new AssignmentMail(context, alertsRepository))
    .catch((error: unknown) => logger.warn({ err: error }, 'not listening for hand-offs'));
  // A failed scheduled test run is checked against the alert rules at once, not a minute later.
  conversationTests.onScheduledFailure(() => alerts.evaluate());
  const aiFetch = fetchFor(config.allowPrivateHttp === true);
  const aiCredentials = new AiCredentialsService(context, new AiCredentialsRepository(), {
    gateway: new AiSdkGateway({ fetch: aiFetch }),
    fetch: aiFetch,
    cipher: cipherFor(cipherPurposes.aiKey),
  });
  const routes: RouteDefinition[] = [
    ...authRoutes(context),
    ...userRoutes(
      new UsersService(context, new UsersRepository(), invitations, passwordResets),
      config.publicUrl,
    ),
    ...apiKeyRoutes(new ApiKeysService(context, apiKeys)),
    ...invitationRoutes(new InvitationsService(context, invitations)),
    ...flowRoutes(flows),
    ...numberRoutes(new NumbersService(context, new NumbersRepository())),
    ...simulatorRoutes(simulator),
    ...conversationTestRoutes(conversationTests),
    ...conversationRoutes(
      new ConversationsService(context, conversationsRepository),
      new HandoffService(context, conversationsRepository, config.mediaMaxBytes),
    ),
    ...inboxRoutes(new InboxService(context, new InboxRepository())),
    ...savedReplyRoutes(new SavedRepliesService(context, new SavedRepliesRepository())),
    ...responseRoutes(responses),
    ...exportRoutes(new ExportService(context, responses, new ExportRepository(), media)),
    ...analyticsRoutes(new AnalyticsService(context, responses, new AnalyticsRepository())),
    ...auditRoutes(context),
    ...retentionRoutes(retention),
    ...alertRoutes(alerts),
    ...workspaceRoutes(new WorkspaceService(context, workspaces, flowsRepository, signingSecrets)),
    ...mediaRoutes(media),
    ...policyRoutes(config),
    ...statusRoutes(new StatusService(context, new StatusRepository())),
    ...aiCredentialRoutes(aiCredentials),
    ...aiUsageRoutes(new AiUsageService(context, new AiUsageRepository())),
  ];
  checkRoleTable(routes);
  const openapi = buildOpenApi(routes, API_VERSION);
  // Ended with the bus when the process shuts down.
  context.auth
    .listenForRevocations()
    .catch((error: unknown) => logger.warn({ err: error }, 'not listening for revoked sessions'));
  // Each request's caller is resolved once: by the rate limit first, then by its route.
  const callers = new WeakMap<Request, Promise<Caller>>();
  const authenticate = {
    caller: (request: Request) => {
      let caller = callers.get(request);
      if (caller === undefined) {
        caller = context.auth.authenticate(request.get('authorization'), request.get('x-workspace-id'));
        callers.set(request, caller);
      }
      return caller;
    },
    user: (request: Request) => context.auth.authenticateUser(request.get('authorization')),
  };

  const api = express.Router();
  api.use(loadShedding(config.loadShedding, logger));
  // A live-test file or an inbox attachment travels as base64 (4/3 of its size): their routes read
  // bodies up to that, and say the file is too large in plain words; every other route keeps the
  // usual limit.
  const maxUpload = config.mediaMaxBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const uploadJson = express.json({ limit: Math.ceil((maxUpload * 4) / 3) + 64 * 1024 });
  const readUpload: RequestHandler = (request, response, next) =>
    uploadJson(request, response, (error?: unknown) =>
      next(
        (error as { type?: string } | undefined)?.type === 'entity.too.large'
          ? new TooLarge(
              `The file is larger than ${Math.round(maxUpload / 104857.6) / 10} MB, the most that can be sent. Send a smaller file.`,
            )
          : error,
      ),
    );
  api.post('/simulator/sessions/:id/files', readUpload);
  api.post('/conversations/:id/attachments', readUpload);
  api.use(express.json({ limit: config.bodyLimit }));
  // A body express.json() left unread is not JSON: refused, rather than silently read as no body.
  api.use((request, _response, next) => {
    const length = Number(request.get('content-length') ?? 0);
    if (request.body === undefined && (request.get('transfer-encoding') !== undefined || length > 0)) {
      next(
        Object.assign(new Error('unsupported media type'), { status: 415, type: 'unsupported.media.type' }),
      );
      return;
    }
    next();
  });
  // Signed-in callers count per user, API keys per key; everyone else (no token, or one that does not verify) per
  // client address, so made-up tokens cannot each get a fresh allowance.
  api.use(async (request, _response, next) => {
    const caller =
      request.get('authorization') === undefined
        ? null
        : // Refused here means counted per address; the route that needs a caller reports why.
          await authenticate.caller(request).catch(() => null);
    await context.rateLimiter.consumeApi(
      caller === null
        ? `ip:${clientAddress(request.ip ?? '')}`
        : caller.apiKeyId === null
          ? `user:${caller.userId}`
          : `key:${caller.apiKeyId}`,
    );
    next();
  });
  api.get('/openapi.json', (_request, response) => {
    response.json(openapi);
  });
  api.use(
    mountRoutes(
      routes,
      authenticate,
      logger,
      new IdempotencyService(db, new IdempotencyRepository(), logger),
    ),
  );
  api.use((_request, _response, next) => next(new NoSuchEndpoint()));

  const app = express();
  app.disable('x-powered-by');
  if (options.health === true) {
    app.get('/healthz', (_request, response) => {
      response.json({ status: 'ok' });
    });
    app.get('/readyz', async (_request, response) => {
      const ok = await ping(db).then(
        () => true,
        () => false,
      );
      response
        .status(ok ? 200 : 503)
        .json({ status: ok ? 'ready' : 'not_ready', checks: { postgres: { ok } } });
    });
  }
  // Whose X-Forwarded-For names the client (PARLEY_TRUST_PROXY); by default no one's.
  app.set('trust proxy', config.trustProxy ?? false);
  app.use(helmet({ contentSecurityPolicy: false }));
  if (config.corsOrigins.length > 0) {
    app.use(
      '/api',
      cors({
        origin: config.corsOrigins,
        exposedHeaders: ['etag', 'retry-after'],
        allowedHeaders: ['authorization', 'content-type', 'if-match', 'x-workspace-id'],
      }),
    );
  }
  app.use('/api/v1', api);
  app.use('/api', errorMiddleware(logger));
  return {
    app,
    openapi,
    context,
    bootstrap: async () => {
      const encrypted = {
        signingSecrets: await signingSecrets.encryptStale(db),
        definitions: await flows.encryptStaleHeaders(),
      };
      if (encrypted.signingSecrets + encrypted.definitions > 0)
        logger.info(encrypted, 'encrypted secrets stored in clear or under the previous key');
      return bootstrapAdmin(
        db,
        accounts,
        workspaces,
        flowsRepository,
        config.adminEmail,
        config.adminPassword,
      );
    },
    scheduleRetention: (intervalMs = 3_600_000) => retention.schedule(intervalMs),
    runRetention: () => retention.runRetention(),
    scheduleAlerts: (intervalMs = config.alertCheckMs ?? 60_000) => alerts.schedule(intervalMs),
    runAlerts: () => alerts.evaluate(),
    scheduleTests: (intervalMs = 60_000) => conversationTests.schedule(intervalMs),
    runDueTests: () => conversationTests.runDue(),
    onScheduledTestFailure: (listener) => conversationTests.onScheduledFailure(listener),
  };
}
