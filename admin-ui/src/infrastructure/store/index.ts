// The editor's store lives in ./editor-store (imported by the editor only, so the editor's
// dependencies stay in its own chunk).
export { hasRole, type SessionState, sessionStore, useSession } from './session-store';
