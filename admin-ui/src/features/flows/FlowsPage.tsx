import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Copy, Download, GitBranch, MoreHorizontal, Plus, Search, Trash2, Upload } from 'lucide-react';
import { useDeferredValue, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { Input } from '@/components/ui/input';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { ApiError, api, errorMessage, type FlowSummary } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { formatWhen } from '@/lib/format';
import { NewFlowDialog } from './NewFlowDialog';

export function FlowsPage() {
  const me = useSession((state) => state.me);
  const canEdit = hasRole(me, 'editor');
  const [search, setSearch] = useState('');
  const query = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<FlowSummary | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const flows = useQuery({
    queryKey: ['flows', me?.workspaceId, query],
    queryFn: () => api.listFlows(query),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['flows'] });

  const duplicate = useMutation({
    mutationFn: (flow: FlowSummary) => api.duplicateFlow(flow.id),
    onSuccess: (copy) => {
      refresh();
      toast.success('Flow duplicated', `“${copy.name}” was created.`);
    },
    onError: (error) => toast.error('Could not duplicate the flow', errorMessage(error)),
  });
  const remove = useMutation({
    mutationFn: (flow: FlowSummary) => api.deleteFlow(flow.id),
    onSuccess: (_result, flow) => {
      refresh();
      setDeleting(null);
      toast.success('Flow deleted', `“${flow.name}” was deleted. Its conversations and answers are kept.`);
    },
    onError: (error) => toast.error('Could not delete the flow', errorMessage(error)),
  });
  const importFile = useMutation({
    mutationFn: async (file: File) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new Error(`“${file.name}” is not a JSON file. Export a flow from Parley and import that file.`);
      }
      return api.importFlow(parsed);
    },
    onSuccess: (flow) => {
      refresh();
      const problems = flow.warnings.length;
      toast.success(
        'Flow imported',
        problems === 0
          ? `“${flow.name}” is ready.`
          : `“${flow.name}” has ${problems} thing${problems === 1 ? '' : 's'} to check in the editor.`,
      );
      navigate(`/flows/${flow.id}`);
    },
    onError: (error) => {
      const first =
        error instanceof ApiError
          ? (error.details as { errors?: { message: string; pointer: string }[] } | null)?.errors?.[0]
          : undefined;
      toast.error(
        'Could not import the file',
        first
          ? `${errorMessage(error)} First problem: ${first.message} (at ${first.pointer})`
          : errorMessage(error),
      );
    },
  });

  const exportFlow = async (flow: FlowSummary) => {
    try {
      const full = await api.getFlow(flow.id);
      const blob = new Blob([`${JSON.stringify(full.draft.definition, null, 2)}\n`], {
        type: 'application/json',
      });
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `${flow.name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'flow'}.json`;
      link.click();
      URL.revokeObjectURL(link.href);
    } catch (error) {
      toast.error('Could not export the flow', errorMessage(error));
    }
  };

  const actions = canEdit ? (
    <>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="hidden"
        aria-label="Flow file to import"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) importFile.mutate(file);
          event.target.value = '';
        }}
      />
      <Button variant="outline" onClick={() => fileInput.current?.click()} disabled={importFile.isPending}>
        <Upload aria-hidden /> Import
      </Button>
      <Button onClick={() => setCreating(true)}>
        <Plus aria-hidden /> New flow
      </Button>
    </>
  ) : null;

  return (
    <>
      <PageHeader
        title="Flows"
        description="Conversations your WhatsApp numbers run. Edit a draft, then publish it as a new version."
        actions={actions}
      />
      <div className="flex flex-col gap-4 px-8 py-6">
        <div className="relative max-w-sm">
          <Search
            className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            type="search"
            placeholder="Search flows by name"
            aria-label="Search flows"
            className="pl-9"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        {flows.isPending ? (
          <LoadingState label="Loading flows…" />
        ) : flows.isError ? (
          <ErrorState
            title="Flows could not be loaded"
            message={errorMessage(flows.error)}
            onRetry={() => flows.refetch()}
          />
        ) : flows.data.length === 0 ? (
          query !== '' ? (
            <EmptyState icon={<Search />} title={`No flow matches “${query}”`}>
              Try another name, or clear the search.
            </EmptyState>
          ) : (
            <EmptyState
              icon={<GitBranch />}
              title="No flows yet"
              action={
                canEdit ? (
                  <Button onClick={() => setCreating(true)}>
                    <Plus aria-hidden /> Create your first flow
                  </Button>
                ) : undefined
              }
            >
              {canEdit
                ? 'A flow is a conversation: questions, messages and branches. Start blank or from a template.'
                : 'When an editor creates a flow, it will appear here.'}
            </EmptyState>
          )
        ) : (
          <Card className="overflow-hidden">
            <table className="w-full text-sm">
              <thead className="border-b bg-muted/50 text-left text-xs font-medium uppercase tracking-wide text-muted-foreground">
                <tr>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-3 font-medium">
                    Last changed
                  </th>
                  <th scope="col" className="w-12 px-4 py-3">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {flows.data.map((flow) => (
                  <tr key={flow.id} className="border-b last:border-0 hover:bg-muted/40">
                    <td className="px-4 py-3">
                      <Link
                        to={`/flows/${flow.id}`}
                        className="font-medium text-foreground hover:text-primary hover:underline"
                      >
                        {flow.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      {flow.publishedVersion === null ? (
                        <Badge variant="secondary">Draft, not published</Badge>
                      ) : (
                        <Badge variant="success">Published · v{flow.publishedVersion}</Badge>
                      )}
                    </td>
                    <td className="px-4 py-3 text-muted-foreground">{formatWhen(flow.updatedAt)}</td>
                    <td className="px-4 py-2 text-right">
                      <DropdownMenu>
                        <DropdownMenuTrigger asChild>
                          <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${flow.name}`}>
                            <MoreHorizontal aria-hidden />
                          </Button>
                        </DropdownMenuTrigger>
                        <DropdownMenuContent align="end">
                          <DropdownMenuItem onSelect={() => navigate(`/flows/${flow.id}`)}>
                            <GitBranch aria-hidden /> {canEdit ? 'Open editor' : 'View'}
                          </DropdownMenuItem>
                          <DropdownMenuItem onSelect={() => exportFlow(flow)}>
                            <Download aria-hidden /> Export as file
                          </DropdownMenuItem>
                          {canEdit && (
                            <>
                              <DropdownMenuItem onSelect={() => duplicate.mutate(flow)}>
                                <Copy aria-hidden /> Duplicate
                              </DropdownMenuItem>
                              <DropdownMenuSeparator />
                              <DropdownMenuItem destructive onSelect={() => setDeleting(flow)}>
                                <Trash2 aria-hidden /> Delete…
                              </DropdownMenuItem>
                            </>
                          )}
                        </DropdownMenuContent>
                      </DropdownMenu>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        )}
      </div>
      <NewFlowDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description="The flow stops answering on every number. Its past conversations and answers are kept. This cannot be undone."
        confirmLabel="Delete flow"
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </>
  );
}
