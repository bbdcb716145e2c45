export { ApiError, errorMessage } from './client';
export { api } from './endpoints';
export type * from './types';
