import { type Me, ROLE_TITLES, ROLES, type Role, roleAdds } from '@parley/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { FieldError, FormAlert } from '@/components/ui/form-messages';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { Spinner } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { workspaceNameRules } from '@/lib/workspace-name';
import { BusinessHoursCard } from './BusinessHoursCard';

/** "a viewer", "an editor", "an admin". */
const aRole = (role: Role) => `${/^[aeiou]/i.test(role) ? 'an' : 'a'} ${ROLE_TITLES[role].toLowerCase()}`;

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const currentName = (me: Me) =>
  me.workspaces.find((workspace) => workspace.workspaceId === me.workspaceId)?.workspaceName ?? '';

/** Renaming, for admins: the name as the API will store it (trimmed), checked in the same words. */
function RenameForm({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const form = useForm<{ name: string }>({ defaultValues: { name } });
  useEffect(() => form.reset({ name }), [name, form]);
  const rename = useMutation({
    mutationFn: (next: string) => api.renameWorkspace(next.trim()),
    onSuccess: (saved) => {
      // The sidebar reads the name from /me.
      queryClient.invalidateQueries({ queryKey: ['me'] });
      toast.success('Workspace renamed', `Everyone in it now sees “${saved.name}”.`);
    },
    onError: (error) => form.setError('root', { message: errorMessage(error) }),
  });
  const { errors, isDirty } = form.formState;
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={form.handleSubmit((values) => rename.mutate(values.name))}
    >
      <div className="flex flex-col gap-1.5">
        {/* The card's heading says it already. */}
        <Label htmlFor="workspace-name" className="sr-only">
          Name
        </Label>
        <div className="flex flex-col gap-2 sm:flex-row">
          <Input
            id="workspace-name"
            autoComplete="off"
            className="sm:max-w-sm"
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? 'workspace-name-error' : 'workspace-name-help'}
            {...form.register('name', workspaceNameRules)}
          />
          <Button type="submit" disabled={!isDirty || rename.isPending}>
            {rename.isPending && <Spinner label="Saving" />}
            Rename
          </Button>
        </div>
        <FieldError id="workspace-name-error" message={errors.name?.message} />
        {!errors.name && (
          <p id="workspace-name-help" className="text-xs text-muted-foreground">
            Everyone in this workspace sees it in their sidebar.
          </p>
        )}
      </div>
      {errors.root && <FormAlert>{errors.root.message}</FormAlert>}
    </form>
  );
}

/** A list of what a role lets a person do, from the role table the API enforces. */
function Abilities({ items, label }: { items: string[]; label: string }) {
  return (
    <ul aria-label={label} className="mt-1 list-disc pl-5 text-sm">
      {items.map((does) => (
        <li key={does}>{does}</li>
      ))}
    </ul>
  );
}

/** "admins", "editors and admins", "agents, editors and admins". */
function plural(roles: readonly Role[]): string {
  const names = roles.map((role) => `${ROLE_TITLES[role].toLowerCase()}s`);
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The current workspace: its name (renamed by admins) and, for everyone, what their role here lets
 * them do and what needs a higher one.
 */
export function WorkspacePage() {
  const me = useSession((state) => state.me);
  if (me === null) return null;
  const name = currentName(me);
  const rank = ROLES.indexOf(me.role);
  const can = ROLES.slice(0, rank + 1).flatMap((role) => roleAdds(role));
  const above = ROLES.slice(rank + 1);
  return (
    <>
      <PageHeader
        title="Workspace"
        description="Its name, when your team answers, and what your role lets you do here."
      />
      <div className="flex max-w-3xl flex-col gap-6 px-4 py-4 md:px-8 md:py-6">
        <Card className="p-4 md:p-6">
          <h2 className="mb-3 text-sm font-semibold">Name</h2>
          {hasRole(me, 'admin') ? (
            <RenameForm name={name} />
          ) : (
            <>
              <p className="text-base font-medium">{name}</p>
              <p className="mt-1 text-xs text-muted-foreground">
                Only an admin of this workspace can rename it.
              </p>
            </>
          )}
        </Card>
        <BusinessHoursCard canChange={hasRole(me, 'admin')} />
        <Card className="p-4 md:p-6">
          <h2 className="text-sm font-semibold">Your role</h2>
          <p className="mt-2 text-sm">
            You are <Badge variant="secondary">{ROLE_TITLES[me.role]}</Badge> in {name}.
          </p>
          <p className="mt-3 text-sm">{capitalize(aRole(me.role))} can:</p>
          <Abilities label={`What ${aRole(me.role)} can do`} items={can} />
          {above.map((role) => (
            <div key={role} className="mt-4">
              <p className="text-sm text-muted-foreground">
                Only {plural(ROLES.slice(ROLES.indexOf(role)))} can:
              </p>
              <Abilities label={`What needs ${aRole(role)}`} items={roleAdds(role)} />
            </div>
          ))}
          {above.length > 0 && (
            <p className="mt-4 text-xs text-muted-foreground">
              Need more? Ask an admin of this workspace to change your role.
            </p>
          )}
        </Card>
        <Card className="p-4 md:p-6">
          <h2 className="text-sm font-semibold">In every workspace</h2>
          <p className="mt-2 text-sm">Anyone signed in, whatever their role, can:</p>
          <Abilities label="What anyone signed in can do" items={roleAdds('signed_in')} />
          <p className="mt-3 text-xs text-muted-foreground">
            To create a workspace, choose “New workspace…” in the workspace menu of the sidebar.
          </p>
        </Card>
      </div>
    </>
  );
}
