export { AppShell } from './AppShell';
export { NewWorkspaceButton } from './NewWorkspaceDialog';
export { NotFoundPage } from './NotFoundPage';
export { RequireRole } from './RequireRole';
export { RequireSession } from './RequireSession';
