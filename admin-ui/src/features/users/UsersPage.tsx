import { type Member, ROLE_TITLES, ROLES, type Role, roleAdds, type SentInvitation } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { KeyRound, UserMinus, UserPlus, Users } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
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
import { NewPasswordField, newPasswordRules } from '@/components/ui/new-password-field';
import { Select } from '@/components/ui/select';
import { EmptyState, ErrorState, LoadingState, Spinner } from '@/components/ui/states';
import { TableHeader } from '@/components/ui/table-header';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useSession } from '@/infrastructure/store';
import { formatWhen } from '@/lib/format';
import { PasswordResetDialog } from './PasswordResetDialog';

/** "a viewer", "an editor", "an admin". */
const aRole = (role: Role) => `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${ROLE_TITLES[role].toLowerCase()}`;

/** What a role may do, from the role table the API enforces. */
function RoleDescription({ role, id }: { role: Role; id?: string }) {
  const below = ROLES[ROLES.indexOf(role) - 1];
  return (
    <div id={id} className="text-xs text-muted-foreground">
      <p>{below === undefined ? 'Can:' : `Everything ${aRole(below)} can, and:`}</p>
      <ul className="mt-1 list-disc pl-4">
        {roleAdds(role).map((does) => (
          <li key={does}>{does}</li>
        ))}
      </ul>
    </div>
  );
}

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
          <NewPasswordField
            id="user-password"
            label="Password"
            error={errors.password?.message}
            registration={form.register('password', newPasswordRules('Choose a password.'))}
          />
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
                  options={ROLES.map((value) => ({ value, label: ROLE_TITLES[value] }))}
                  aria-describedby="user-role-help"
                />
              )}
            />
            <RoleDescription id="user-role-help" role={role} />
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
          <TableHeader
            columns={[
              'Email',
              'Role',
              { label: 'Invited', className: 'max-md:hidden' },
              { label: 'Actions', hidden: true },
            ]}
          />
          <tbody>
            {invitations.data.map((invitation) => (
              <tr key={invitation.id} className="border-b last:border-0">
                <td className="px-4 py-3 font-medium break-all">{invitation.email}</td>
                <td className="px-4 py-3">
                  <Badge variant="outline">{ROLE_TITLES[invitation.role]}</Badge>
                </td>
                <td className="px-4 py-3 text-muted-foreground max-md:hidden">
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

type TeamChange = { kind: 'role'; member: Member; role: Role } | { kind: 'remove'; member: Member };

/** Confirms a change of role or a removal, then makes it. */
function ConfirmTeamChange({ change, onDone }: { change: TeamChange | null; onDone: () => void }) {
  const queryClient = useQueryClient();
  const me = useSession((state) => state.me);
  const apply = useMutation({
    mutationFn: async (next: TeamChange) => {
      if (next.kind === 'role') await api.changeRole(next.member.id, next.role);
      else await api.removeMember(next.member.id);
    },
    onSuccess: (_done, next) => {
      queryClient.invalidateQueries({ queryKey: ['users'] });
      toast.success(
        next.kind === 'role'
          ? `${next.member.email} is now ${aRole(next.role)}`
          : `${next.member.email} was removed`,
        next.kind === 'role'
          ? 'The new role holds from their next click.'
          : 'They can no longer open this workspace.',
      );
      onDone();
    },
    onError: (error) => {
      toast.error('Nothing was changed', errorMessage(error));
      onDone();
    },
  });
  if (change === null) return null;
  const self = change.member.id === me?.id;
  const who = self ? 'yourself' : change.member.email;
  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onDone()}
      title={
        change.kind === 'role' ? `Make ${who} ${aRole(change.role)}?` : `Remove ${who} from this workspace?`
      }
      description={
        change.kind === 'role' ? (
          <RoleDescription role={change.role} />
        ) : (
          <>
            {self ? 'You' : 'They'} lose access to this workspace at once. {self ? 'Your' : 'Their'} account,
            other workspaces and past actions in the audit log stay; an admin can invite{' '}
            {self ? 'you' : 'them'} again.
          </>
        )
      }
      confirmLabel={change.kind === 'role' ? `Make ${ROLE_TITLES[change.role].toLowerCase()}` : 'Remove'}
      destructive={change.kind === 'remove'}
      busy={apply.isPending}
      onConfirm={() => apply.mutate(change)}
    />
  );
}

export function UsersPage() {
  const me = useSession((state) => state.me);
  const [adding, setAdding] = useState(false);
  const [change, setChange] = useState<TeamChange | null>(null);
  const [resetting, setResetting] = useState<Member | null>(null);
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
      <div className="px-4 py-4 md:px-8 md:py-6">
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
              <TableHeader
                columns={[
                  'Email',
                  'Role',
                  { label: 'Joined', className: 'max-md:hidden' },
                  { label: 'Actions', hidden: true },
                ]}
              />
              <tbody>
                {users.data.map((member) => (
                  <tr key={member.id} className="border-b last:border-0">
                    <td className="px-4 py-3 font-medium break-all">
                      {member.email}
                      {member.id === me?.id && (
                        <span className="ml-2 text-xs text-muted-foreground">(you)</span>
                      )}
                    </td>
                    <td className="px-4 py-3">
                      <Select
                        value={member.role}
                        aria-label={`Role of ${member.email}`}
                        onValueChange={(role) =>
                          role !== member.role && setChange({ kind: 'role', member, role: role as Role })
                        }
                        options={ROLES.map((value) => ({ value, label: ROLE_TITLES[value] }))}
                      />
                    </td>
                    <td className="px-4 py-3 text-muted-foreground max-md:hidden">
                      {formatWhen(member.joinedAt)}
                    </td>
                    <td className="flex justify-end gap-2 px-4 py-3">
                      {member.id !== me?.id && (
                        <Button
                          variant="outline"
                          size="sm"
                          aria-label={`Reset the password of ${member.email}`}
                          onClick={() => setResetting(member)}
                        >
                          <KeyRound aria-hidden /> <span className="max-md:hidden">Reset password</span>
                        </Button>
                      )}
                      <Button
                        variant="outline"
                        size="sm"
                        aria-label={`Remove ${member.email}`}
                        onClick={() => setChange({ kind: 'remove', member })}
                      >
                        <UserMinus aria-hidden /> <span className="max-md:hidden">Remove</span>
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
        <PendingInvitations />
      </div>
      <AddUserDialog open={adding} onOpenChange={setAdding} />
      <ConfirmTeamChange change={change} onDone={() => setChange(null)} />
      <PasswordResetDialog member={resetting} onDone={() => setResetting(null)} />
    </>
  );
}
