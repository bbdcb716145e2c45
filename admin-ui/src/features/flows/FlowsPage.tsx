import type { FlowSummary, SilencedNumber } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ArchiveRestore,
  Copy,
  Download,
  GitBranch,
  MoreHorizontal,
  Plus,
  Search,
  Trash2,
  Upload,
} from 'lucide-react';
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
import { TableHeader } from '@/components/ui/table-header';
import { toast } from '@/components/ui/toast';
import { ApiError, api, errorMessage } from '@/infrastructure/api';
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
  // Set when the API refused the delete because these numbers answer with the flow.
  const [silenced, setSilenced] = useState<SilencedNumber[] | null>(null);
  const [showDeleted, setShowDeleted] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const flows = useQuery({
    queryKey: ['flows', me?.workspaceId, query],
    queryFn: () => api.listFlows(query),
    enabled: !showDeleted,
  });
  const deletedFlows = useQuery({
    queryKey: ['flows', me?.workspaceId, 'deleted'],
    queryFn: () => api.listDeletedFlows(),
    enabled: showDeleted,
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
  const closeDelete = () => {
    setDeleting(null);
    setSilenced(null);
  };
  const remove = useMutation({
    mutationFn: (flow: FlowSummary) => api.deleteFlow(flow.id, silenced !== null),
    onSuccess: (_result, flow) => {
      refresh();
      closeDelete();
      toast.success(
        'Flow deleted',
        `“${flow.name}” was deleted. Its conversations and answers are kept; restore it from Deleted flows.`,
      );
    },
    onError: (error) => {
      const numbers =
        error instanceof ApiError && error.status === 409
          ? (error.details as { numbers?: SilencedNumber[] } | null)?.numbers
          : undefined;
      // Numbers answer with it: the dialog names them and asks again.
      if (numbers !== undefined && numbers.length > 0) setSilenced(numbers);
      else toast.error('Could not delete the flow', errorMessage(error));
    },
  });
  const restore = useMutation({
    mutationFn: (flow: FlowSummary) => api.restoreFlow(flow.id),
    onSuccess: (_result, flow) => {
      refresh();
      toast.success(
        'Flow restored',
        `“${flow.name}” is back in your flows. Assign it to a number again to have it answer.`,
      );
    },
    onError: (error) => toast.error('Could not restore the flow', errorMessage(error)),
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
      <div className="flex flex-col gap-4 px-4 py-4 md:px-8 md:py-6">
        <div className="flex flex-wrap items-center gap-3">
          <div className="relative w-full max-w-sm">
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
              disabled={showDeleted}
            />
          </div>
          <Button variant="outline" aria-pressed={showDeleted} onClick={() => setShowDeleted(!showDeleted)}>
            {showDeleted ? (
              <>
                <GitBranch aria-hidden /> Back to flows
              </>
            ) : (
              <>
                <Trash2 aria-hidden /> Deleted flows
              </>
            )}
          </Button>
        </div>
        {showDeleted ? (
          <DeletedFlows
            query={deletedFlows}
            canEdit={canEdit}
            restoring={restore.isPending}
            onRestore={(flow) => restore.mutate(flow)}
          />
        ) : flows.isPending ? (
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
          <Card className="relative overflow-x-auto">
            <table className="w-full text-sm">
              <TableHeader
                columns={[
                  'Name',
                  'Status',
                  { label: 'Last changed', className: 'max-md:hidden' },
                  { label: 'Actions', hidden: true, className: 'w-12' },
                ]}
              />
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
                      <FlowStatus flow={flow} />
                    </td>
                    <td className="px-4 py-3 text-muted-foreground max-md:hidden">
                      {formatWhen(flow.updatedAt)}
                    </td>
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
        onOpenChange={(open) => !open && closeDelete()}
        title={`Delete “${deleting?.name ?? ''}”?`}
        description={
          silenced === null ? (
            'Its conversations, answers and exports are kept, and you can restore it from Deleted flows.'
          ) : (
            <>
              {silenced.length === 1 ? 'This number answers' : 'These numbers answer'} with this flow and will
              go silent until you assign another flow:
              <ul className="mt-2 list-disc pl-5 font-medium text-foreground">
                {silenced.map((number) => (
                  <li key={number.id}>{number.display}</li>
                ))}
              </ul>
              <span className="mt-2 block">
                Its conversations, answers and exports are kept, and you can restore it from Deleted flows.
              </span>
            </>
          )
        }
        confirmLabel={
          silenced === null
            ? 'Delete flow'
            : `Delete and silence ${silenced.length} number${silenced.length === 1 ? '' : 's'}`
        }
        destructive
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting)}
      />
    </>
  );
}

/** Deleted flows, most recently deleted first: their answers stay; editors can restore them. */
function DeletedFlows({
  query,
  canEdit,
  restoring,
  onRestore,
}: {
  query: ReturnType<typeof useQuery<FlowSummary[]>>;
  canEdit: boolean;
  restoring: boolean;
  onRestore: (flow: FlowSummary) => void;
}) {
  if (query.isPending) return <LoadingState label="Loading deleted flows…" />;
  if (query.isError)
    return (
      <ErrorState
        title="Deleted flows could not be loaded"
        message={errorMessage(query.error)}
        onRetry={() => query.refetch()}
      />
    );
  if (query.data.length === 0)
    return (
      <EmptyState icon={<Trash2 />} title="No deleted flows">
        Flows you delete appear here, with their answers, until you restore them.
      </EmptyState>
    );
  return (
    <Card className="relative overflow-x-auto">
      <table className="w-full text-sm">
        <TableHeader columns={['Name', 'Deleted', { label: 'Actions', hidden: true }]} />
        <tbody>
          {query.data.map((flow) => (
            <tr key={flow.id} className="border-b last:border-0">
              <td className="px-4 py-3 font-medium">{flow.name}</td>
              <td className="px-4 py-3 text-muted-foreground">
                {formatWhen(flow.deletedAt ?? flow.updatedAt)}
              </td>
              <td className="px-4 py-2 text-right">
                <div className="flex justify-end gap-2">
                  <Button variant="ghost" size="sm" asChild>
                    <Link to={`/responses?flow=${flow.id}`}>Answers</Link>
                  </Button>
                  {canEdit && (
                    <Button variant="outline" size="sm" disabled={restoring} onClick={() => onRestore(flow)}>
                      <ArchiveRestore aria-hidden /> Restore
                    </Button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}

/** Whether a flow reaches anyone: a published flow that no number answers with is not live. */
function FlowStatus({ flow }: { flow: FlowSummary }) {
  if (flow.publishedVersion === null) return <Badge variant="secondary">Draft, not published</Badge>;
  if (flow.servingNumbers === 0) {
    return (
      <span className="inline-flex flex-wrap items-center gap-2">
        <Badge variant="warning">Published · v{flow.publishedVersion} · no number</Badge>
        <Link to="/numbers" className="text-xs text-primary hover:underline">
          Connect a number to run it
        </Link>
      </span>
    );
  }
  const numbers = flow.servingNumbers === 1 ? '1 number' : `${flow.servingNumbers} numbers`;
  return (
    <Badge variant="success">
      Live · v{flow.publishedVersion}
      {flow.servingNumbers === undefined ? '' : ` on ${numbers}`}
    </Badge>
  );
}
