import type { Role } from '@parley/contract';
import { ShieldAlert } from 'lucide-react';
import { Outlet } from 'react-router';
import { EmptyState } from '@/components/ui/states';
import { hasRole, useSession } from '@/infrastructure/store';

const WHO: Record<Role, string> = {
  viewer: 'members of this workspace',
  agent: 'agents, editors and admins',
  editor: 'editors and admins',
  admin: 'workspace admins',
};

/** A screen for some roles only; others are told why they cannot see it. */
export function RequireRole({ minRole }: { minRole: Role }) {
  const me = useSession((state) => state.me);
  if (!hasRole(me, minRole)) {
    return (
      <EmptyState icon={<ShieldAlert />} title={`This page is for ${WHO[minRole]}`}>
        Ask an admin of this workspace if you need access.
      </EmptyState>
    );
  }
  return <Outlet />;
}
