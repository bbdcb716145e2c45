export { API_VERSION, type Api, type ApiOptions, createApi } from './app.js';
export { type ApiConfig, apiConfigFromEnv } from './config.js';
export { printAdminLogin } from './modules/auth/print-admin-login.js';
export type { ScheduledFailure } from './modules/conversation-tests/conversation-tests.service.js';
