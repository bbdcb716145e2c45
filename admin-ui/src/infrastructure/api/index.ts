export { ApiError, download, errorMessage, streamEvents } from './client';
export { api } from './endpoints';
export type * from './types';
