export { AppShell } from './AppShell';
export { NotFoundPage } from './NotFoundPage';
export { RequireRole } from './RequireRole';
export { RequireSession } from './RequireSession';
