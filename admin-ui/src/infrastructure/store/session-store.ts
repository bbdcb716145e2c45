import { atLeast, type Me, type Role } from '@parley/contract';
import { create } from 'zustand';

const TOKEN_KEY = 'parley.token';
const WORKSPACE_KEY = 'parley.workspace';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode: the session lasts for this tab only.
  }
}

export interface SessionState {
  token: string | null;
  workspaceId: string | null;
  me: Me | null;
  /** Why the user was signed out (shown on the sign-in page). */
  notice: string | null;
  signIn: (token: string, workspaceId: string | null) => void;
  setMe: (me: Me) => void;
  switchWorkspace: (workspaceId: string) => void;
  signOut: (notice?: string) => void;
}

/** Who is signed in, in which workspace; the token survives reloads in localStorage. */
export const sessionStore = create<SessionState>((set) => ({
  token: read(TOKEN_KEY),
  workspaceId: read(WORKSPACE_KEY),
  me: null,
  notice: null,
  signIn: (token, workspaceId) => {
    write(TOKEN_KEY, token);
    write(WORKSPACE_KEY, workspaceId);
    set({ token, workspaceId, notice: null, me: null });
  },
  setMe: (me) => {
    write(WORKSPACE_KEY, me.workspaceId);
    set({ me, workspaceId: me.workspaceId });
  },
  switchWorkspace: (workspaceId) => {
    write(WORKSPACE_KEY, workspaceId);
    set({ workspaceId, me: null });
  },
  signOut: (notice) => {
    write(TOKEN_KEY, null);
    set({ token: null, me: null, notice: notice ?? null });
  },
}));

export const useSession = sessionStore;

/** Whether the signed-in user's role in the current workspace is at least `role`. */
export function hasRole(me: Me | null, role: Role): boolean {
  return me !== null && atLeast(me.role, role);
}
