import { useQueryClient } from '@tanstack/react-query';
import { ChevronsUpDown, GitBranch, LogOut, MessagesSquare, Phone, Table2, Users } from 'lucide-react';
import type { ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Logo } from '@/components/logo';
import { Badge } from '@/components/ui/badge';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { api } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { cn } from '@/lib/cn';

const NAV = [
  { to: '/flows', label: 'Flows', icon: GitBranch },
  { to: '/numbers', label: 'Numbers', icon: Phone },
  { to: '/conversations', label: 'Conversations', icon: MessagesSquare },
  { to: '/responses', label: 'Responses', icon: Table2 },
] as const;

const ROLE_LABEL = { admin: 'Admin', editor: 'Editor', viewer: 'Viewer' } as const;

/**
 * The frame around every screen but the editor: navigation, workspace and account. `banner` is
 * composed by the app so that the shell does not depend on other features.
 */
export function AppShell({ banner }: { banner?: ReactNode }) {
  const me = useSession((state) => state.me);
  const switchWorkspace = useSession((state) => state.switchWorkspace);
  const signOut = useSession((state) => state.signOut);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  if (me === null) return null;

  const onSwitch = (workspaceId: string) => {
    if (workspaceId === me.workspaceId) return;
    queryClient.clear();
    switchWorkspace(workspaceId);
    navigate('/flows');
  };

  const onSignOut = async () => {
    // Signed out locally either way; the session also expires on the server.
    await api.logout().catch(() => undefined);
    queryClient.clear();
    signOut();
  };

  const links = hasRole(me, 'admin') ? [...NAV, { to: '/users', label: 'Users', icon: Users } as const] : NAV;

  return (
    <div className="flex h-full">
      <aside className="flex w-60 shrink-0 flex-col border-r bg-card">
        <div className="px-5 py-4">
          <Logo className="text-lg" />
        </div>
        <div className="px-3 pb-3">
          <Label
            id="workspace-label"
            htmlFor="workspace"
            className="mb-1.5 block px-2 text-xs text-muted-foreground"
          >
            Workspace
          </Label>
          <Select
            id="workspace"
            value={me.workspaceId}
            onValueChange={onSwitch}
            options={me.workspaces.map((workspace) => ({
              value: workspace.workspaceId,
              label: workspace.workspaceName,
            }))}
            disabled={me.workspaces.length < 2}
          />
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-3">
          {links.map(({ to, label, icon: Icon }) => (
            <NavLink
              key={to}
              to={to}
              className={({ isActive }) =>
                cn(
                  'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-muted hover:text-foreground',
                  isActive && 'bg-accent text-accent-foreground hover:bg-accent',
                )
              }
            >
              <Icon className="size-4" aria-hidden />
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="border-t p-3">
          <DropdownMenu>
            <DropdownMenuTrigger
              className="flex w-full items-center gap-3 rounded-md px-2 py-2 text-left hover:bg-muted"
              aria-label="Account menu"
            >
              <span
                className="flex size-8 shrink-0 items-center justify-center rounded-full bg-emerald-100 text-sm font-semibold uppercase text-emerald-800"
                aria-hidden
              >
                {me.email.charAt(0)}
              </span>
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-medium">{me.email}</span>
                <span className="block text-xs text-muted-foreground">{ROLE_LABEL[me.role]}</span>
              </span>
              <ChevronsUpDown className="size-4 text-muted-foreground" aria-hidden />
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end" className="w-56">
              <DropdownMenuLabel>
                Signed in as <Badge variant="secondary">{ROLE_LABEL[me.role]}</Badge>
              </DropdownMenuLabel>
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={onSignOut}>
                <LogOut aria-hidden /> Sign out
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        </div>
      </aside>
      <main className="flex min-w-0 flex-1 flex-col overflow-y-auto">
        {banner}
        <Outlet />
      </main>
    </div>
  );
}
