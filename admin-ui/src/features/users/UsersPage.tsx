import { ROLES, type Role, type SentInvitation } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UserPlus, Users } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Select } from '@/components/ui/select';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { TableHeader } from '@/components/ui/table-header';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { formatWhen } from '@/lib/format';

const ROLE_INFO: Record<Role, { label: string; description: string }> = {
  viewer: { label: 'Viewer', description: 'Sees flows, conversations and responses; changes nothing.' },
  editor: { label: 'Editor', description: 'Builds, publishes and tests flows; connects numbers.' },
  admin: { label: 'Admin', description: 'Everything, plus adding people.' },
};

interface AddUserForm {
  email: string;
  password: string;
  role: Role;
}

function AddUserDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const queryClient = useQueryClient();
  const form = useForm<AddUserForm>({ defaultValues: { email: '', password: '', role: 'editor' } });
  const add = useMutation({
    mutationFn: (values: AddUserForm) => api.inviteUser(values.email.trim(), values.password, values.role),
    onSuccess: (invitation) => {
      queryClient.invalidateQueries({ queryKey: ['invitations-sent'] });
      toast.success('Invitation sent', `${invitation.email} joins when they sign in and accept it.`);
      form.reset();
      onOpenChange(false);
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const { errors } = form.formState;
  const role = form.watch('role');
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add a person</DialogTitle>
          <DialogDescription>
            We send them an invitation; they join this workspace once they sign in and accept it. If they have
            no Parley account yet, one is created with this password: share it with them safely. If they
            already have one, they keep their own password.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit((values) => add.mutate(values))}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="user-email">Email</Label>
            <Input
              id="user-email"
              type="email"
              autoComplete="off"
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={errors.email ? 'user-email-error' : undefined}
              {...form.register('email', {
                required: 'Enter their email address.',
                pattern: {
                  value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
                  message: 'That doesn’t look like an email address.',
                },
              })}
            />
            <FieldError id="user-email-error" message={errors.email?.message} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="user-password">Password</Label>
            <Input
              id="user-password"
              type="password"
              autoComplete="new-password"
              aria-invalid={errors.password ? true : undefined}
              aria-describedby="user-password-help"
              {...form.register('password', {
                required: 'Choose a password.',
                minLength: { value: 10, message: 'Use at least 10 characters.' },
              })}
            />
            <p
              id="user-password-help"
              className={errors.password ? 'text-xs text-destructive' : 'text-xs text-muted-foreground'}
            >
              {errors.password?.message ?? 'At least 10 characters.'}
            </p>
          </div>
          <div className="flex flex-col gap-1.5">
            <Label id="user-role-label" htmlFor="user-role">
              Role
            </Label>
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <Select
                  id="user-role"
                  value={field.value}
                  onValueChange={(value) => field.onChange(value as Role)}
                  options={ROLES.map((value) => ({ value, label: ROLE_INFO[value].label }))}
                  aria-describedby="user-role-help"
                />
              )}
            />
            <p id="user-role-help" className="text-xs text-muted-foreground">
              {ROLE_INFO[role].description}
            </p>
          </div>
          {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={add.isPending}>
              {add.isPending && <Spinner label="Sending" />}
              Send invitation
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Invitations not answered yet, which an admin may revoke. */
function PendingInvitations() {
  const me = useSession((state) => state.me);
  const queryClient = useQueryClient();
  const invitations = useQuery({
    queryKey: ['invitations-sent', me?.workspaceId],
    queryFn: api.sentInvitations,
  });
  const revoke = useMutation({
    mutationFn: (invitation: SentInvitation) => api.revokeInvitation(invitation.id),
    onSuccess: (_done, invitation) => {
      queryClient.invalidateQueries({ queryKey: ['invitations-sent'] });
      toast.success('Invitation revoked', `${invitation.email} can no longer accept it.`);
    },
    onError: (error) => toast.error('The invitation could not be revoked', errorMessage(error)),
  });
  if (invitations.isPending) return <LoadingState label="Loading invitations…" />;
  if (invitations.isError) {
    return (
      <ErrorState
        title="Invitations could not be loaded"
        message={errorMessage(invitations.error)}
        onRetry={() => invitations.refetch()}
      />
    );
  }
  if (invitations.data.length === 0) return null;
  return (
    <section aria-labelledby="pending-heading" className="mt-8">
      <h2 id="pending-heading" className="mb-3 text-sm font-semibold">
        Pending invitations
      </h2>
      <Card className="overflow-hidden">
        <table className="w-full text-sm">
          <TableHeader columns={['Email', 'Role', 'Invited', { label: 'Actions', hidden: true }]} />
          <tbody>
            {invitations.data.map((invitation) => (
              <tr key={invitation.id} className="border-b last:border-0">
                <td className="px-4 py-3 font-medium">{invitation.email}</td>
                <td className="px-4 py-3">
                  <Badge variant="outline">{ROLE_INFO[invitation.role].label}</Badge>
                </td>
                <td className="px-4 py-3 text-muted-foreground">
                  {formatWhen(invitation.invitedAt)}
                  {Date.parse(invitation.expiresAt) <= Date.now() && (
                    <Badge variant="secondary" className="ml-2">
                      Expired
                    </Badge>
                  )}
                </td>
                <td className="px-4 py-3 text-right">
                  <Button
                    variant="outline"
                    size="sm"
                    disabled={revoke.isPending}
                    aria-label={`Revoke the invitation for ${invitation.email}`}
                    onClick={() => revoke.mutate(invitation)}
                  >
                    Revoke
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </section>
  );
}

export function UsersPage() {
  const me = useSession((state) => state.me);
  const [adding, setAdding] = useState(false);
  const users = useQuery({ queryKey: ['users', me?.workspaceId], queryFn: api.listUsers });
  return (
    <>
      <PageHeader
        title="Users"
        description="People in this workspace and what they may do."
        actions={
          <Button onClick={() => setAdding(true)}>
            <UserPlus aria-hidden /> Add person
          </Button>
        }
      />
      <div className="px-8 py-6">
        {users.isPending ? (
          <LoadingState label="Loading people…" />
        ) : users.isError ? (
          <ErrorState
            title="People could not be loaded"
            message={errorMessage(users.error)}
            onRetry={() => users.refetch()}
          />
        ) : users.data.length === 0 ? (
          <EmptyState icon={<Users />} title="Nobody here yet" />
        ) : (
          <Card className="overflow-hidden">
            <table className="w-full text-sm">
              <TableHeader columns={['Email', 'Role', 'Joined']} />
              <tbody>
                {users.data.map((member) => (
                  <tr key={member.id} className="border-b last:border-0">
                    <td className="px-4 py-3 font-medium">
                      {member.email}
                      {member.id === me?.id && (
                        <span className="ml-2 text-xs text-muted-foreground">(you)</span>
                      )}
                    </td>
                    <td className="px-4 py-3">
                      <Badge
                        variant={
                          member.role === 'admin'
                            ? 'default'
                            : member.role === 'editor'
                              ? 'success'
                              : 'secondary'
                        }
                      >
                        {ROLE_INFO[member.role].label}
                      </Badge>
                    </td>
                    <td className="px-4 py-3 text-muted-foreground">{formatWhen(member.joinedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
        <PendingInvitations />
      </div>
      <AddUserDialog open={adding} onOpenChange={setAdding} />
    </>
  );
}
