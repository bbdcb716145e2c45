import { type Me, ROLE_TITLES, type Role } from '@parley/contract';
import * as DialogPrimitive from '@radix-ui/react-dialog';
import {
  Activity,
  BellRing,
  Building2,
  ChevronsUpDown,
  GitBranch,
  Inbox,
  KeyRound,
  LifeBuoy,
  LogOut,
  Menu,
  MessagesSquare,
  MonitorX,
  Phone,
  Sparkles,
  Table2,
  Users,
  X,
} from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Logo } from '@/components/logo';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { cn } from '@/lib/cn';
import { useIsPhone } from '@/lib/use-is-phone';
import { ChangePasswordDialog } from './ChangePasswordDialog';
import { NewWorkspaceDialog } from './NewWorkspaceDialog';

const NAV = [
  { to: '/flows', label: 'Flows', icon: GitBranch },
  { to: '/inbox', label: 'Inbox', icon: Inbox, minRole: 'agent' },
  { to: '/numbers', label: 'Numbers', icon: Phone },
  { to: '/conversations', label: 'Conversations', icon: MessagesSquare },
  { to: '/responses', label: 'Responses', icon: Table2 },
  { to: '/workspace', label: 'Workspace', icon: Building2 },
  { to: '/alerts', label: 'Alerts', icon: BellRing },
] as const satisfies readonly { to: string; label: string; icon: unknown; minRole?: Role }[];

/** A count beside a link of the navigation, keyed by the link's path (composed by the app). */
export type NavBadges = Partial<Record<string, ReactNode>>;

/** The workspace select's last entry: not a workspace, it opens the new-workspace dialog. */
const NEW_WORKSPACE = 'new';

/** The name of the workspace the person acts in. */
const workspaceName = (me: Me) =>
  me.workspaces.find((workspace) => workspace.workspaceId === me.workspaceId)?.workspaceName ?? '';

const NAV_LINK =
  'flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium text-slate-600 hover:bg-muted hover:text-foreground';
const NAV_LINK_ACTIVE = 'bg-accent text-accent-foreground hover:bg-accent';

/** Workspace, navigation, help and account: the sidebar on a large screen, the menu on a phone. */
function Sidebar({ me, badges, onNavigate }: { me: Me; badges: NavBadges; onNavigate?: () => void }) {
  const switchWorkspace = useSession((state) => state.switchWorkspace);
  const signOut = useSession((state) => state.signOut);
  const navigate = useNavigate();

  const [creatingWorkspace, setCreatingWorkspace] = useState(false);
  // Every screen reads the new workspace: the query cache empties itself on a switch (app/).
  const arrive = () => {
    onNavigate?.();
    navigate('/flows');
  };
  const onSwitch = (workspaceId: string) => {
    if (workspaceId === NEW_WORKSPACE) setCreatingWorkspace(true);
    else if (workspaceId !== me.workspaceId) {
      switchWorkspace(workspaceId);
      arrive();
    }
  };

  const [changingPassword, setChangingPassword] = useState(false);
  const [signingOutEverywhere, setSigningOutEverywhere] = useState(false);

  const onSignOut = async () => {
    // Signed out locally either way; the session also expires on the server.
    await api.logout().catch(() => undefined);
    signOut();
  };

  const onSignOutEverywhere = async () => {
    try {
      await api.signOutEverywhere();
    } catch (error) {
      toast.error('Could not sign out the other devices', errorMessage(error));
      return;
    }
    signOut('You are signed out on every device.');
  };

  const nav = NAV.filter((link) => !('minRole' in link) || hasRole(me, link.minRole));
  const links = hasRole(me, 'admin')
    ? [
        ...nav,
        { to: '/users', label: 'Users', icon: Users } as const,
        { to: '/api-keys', label: 'API keys', icon: KeyRound } as const,
        { to: '/ai-providers', label: 'AI providers', icon: Sparkles } as const,
        { to: '/status', label: 'Status', icon: Activity } as const,
      ]
    : nav;

  return (
    <>
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
          options={[
            ...me.workspaces.map((workspace) => ({
              value: workspace.workspaceId,
              label: workspace.workspaceName,
            })),
            { value: NEW_WORKSPACE, label: 'New workspace…' },
          ]}
        />
      </div>
      <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5 px-3">
        {links.map(({ to, label, icon: Icon }) => (
          <NavLink
            key={to}
            to={to}
            onClick={onNavigate}
            className={({ isActive }) => cn(NAV_LINK, isActive && NAV_LINK_ACTIVE)}
          >
            <Icon className="size-4" aria-hidden />
            {label}
            {badges[to]}
          </NavLink>
        ))}
        <NavLink
          to="/docs"
          onClick={onNavigate}
          className={({ isActive }) => cn(NAV_LINK, 'mb-2 mt-auto', isActive && NAV_LINK_ACTIVE)}
        >
          <LifeBuoy className="size-4" aria-hidden />
          Help
        </NavLink>
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
              <span className="block text-xs text-muted-foreground">{ROLE_TITLES[me.role]}</span>
            </span>
            <ChevronsUpDown className="size-4 text-muted-foreground" aria-hidden />
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end" className="w-56">
            <DropdownMenuLabel>
              Signed in as <Badge variant="secondary">{ROLE_TITLES[me.role]}</Badge>
            </DropdownMenuLabel>
            <DropdownMenuSeparator />
            <DropdownMenuItem onSelect={() => setChangingPassword(true)}>
              <KeyRound aria-hidden /> Change password
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setSigningOutEverywhere(true)}>
              <MonitorX aria-hidden /> Sign out everywhere
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={onSignOut}>
              <LogOut aria-hidden /> Sign out
            </DropdownMenuItem>
          </DropdownMenuContent>
        </DropdownMenu>
      </div>
      <ChangePasswordDialog open={changingPassword} onOpenChange={setChangingPassword} />
      <NewWorkspaceDialog open={creatingWorkspace} onOpenChange={setCreatingWorkspace} onCreated={arrive} />
      <ConfirmDialog
        open={signingOutEverywhere}
        onOpenChange={setSigningOutEverywhere}
        title="Sign out on every device?"
        description="Every browser and program signed in as you is signed out at once, this one too. Sign in again to go on."
        confirmLabel="Sign out everywhere"
        onConfirm={onSignOutEverywhere}
      />
    </>
  );
}

/** A phone's top bar: the sidebar folds into a menu that slides in from the left. */
function PhoneMenu({ me, badges }: { me: Me; badges: NavBadges }) {
  const [open, setOpen] = useState(false);
  return (
    <header className="flex h-14 shrink-0 items-center gap-2 border-b bg-card px-2">
      <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
        <DialogPrimitive.Trigger asChild>
          <Button variant="ghost" size="icon" aria-label="Open the menu">
            <Menu aria-hidden />
          </Button>
        </DialogPrimitive.Trigger>
        <DialogPrimitive.Portal>
          <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-slate-900/40" />
          <DialogPrimitive.Content
            aria-describedby={undefined}
            className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col overflow-y-auto bg-card shadow-xl"
          >
            <DialogPrimitive.Title className="sr-only">Menu</DialogPrimitive.Title>
            <DialogPrimitive.Close asChild>
              <Button
                variant="ghost"
                size="icon-sm"
                className="absolute right-3 top-4"
                aria-label="Close the menu"
              >
                <X aria-hidden />
              </Button>
            </DialogPrimitive.Close>
            <Sidebar me={me} badges={badges} onNavigate={() => setOpen(false)} />
          </DialogPrimitive.Content>
        </DialogPrimitive.Portal>
      </DialogPrimitive.Root>
      <Logo />
      <span className="ml-auto min-w-0 truncate pr-2 text-sm font-medium text-muted-foreground">
        <span className="sr-only">Workspace: </span>
        {workspaceName(me)}
      </span>
      {hasRole(me, 'agent') && (
        <NavLink
          to="/inbox"
          aria-label="Inbox"
          className="flex items-center gap-1 rounded-md p-2 hover:bg-muted"
        >
          <Inbox className="size-5" aria-hidden />
          {badges['/inbox']}
        </NavLink>
      )}
    </header>
  );
}

/**
 * The frame around every screen but the editor: navigation, workspace and account. `banner` is
 * composed by the app so that the shell does not depend on other features.
 */
export function AppShell({ banner, badges = {} }: { banner?: ReactNode; badges?: NavBadges }) {
  const me = useSession((state) => state.me);
  const isPhone = useIsPhone();
  if (me === null) return null;

  return (
    <div className="flex h-full flex-col md:flex-row">
      {isPhone ? (
        <PhoneMenu me={me} badges={badges} />
      ) : (
        <aside className="flex w-60 shrink-0 flex-col border-r bg-card">
          <Sidebar me={me} badges={badges} />
        </aside>
      )}
      <main className="flex min-w-0 flex-1 flex-col overflow-y-auto">
        {banner}
        <Outlet />
      </main>
    </div>
  );
}
