export { ApiError, download, errorMessage, streamEvents } from './client';
export { api } from './endpoints';
export { newIdempotencyKey } from './idempotency-key';
