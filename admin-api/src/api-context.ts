import type { Bus } from '@parley/bus';
import type { Db, MediaStore } from '@parley/db';
import type { Logger } from 'pino';
import type { ApiConfig } from './config.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { Mailer } from './mail/mailer.js';
import type { AuditRepository } from './modules/audit/audit.repository.js';
import type { AuthService } from './modules/auth/auth.service.js';

/** What every module's routes and services share: the database, the bus, audit, limits, media. */
export interface ApiContext {
  db: Db;
  bus: Bus;
  config: ApiConfig;
  logger: Logger;
  audit: AuditRepository;
  auth: AuthService;
  rateLimiter: RateLimiter;
  /** Received files (the same store the runtimes write to). */
  media: MediaStore;
  /** Sends mail when SMTP is configured (PARLEY_SMTP_URL), else null. */
  mailer: Mailer | null;
}
