import type { FlowVersion } from '@parley/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Eye, History, RotateCcw } from 'lucide-react';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { api, errorMessage } from '@/infrastructure/api';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { formatWhen } from '@/lib/format';

/** Published versions, newest first: view one read-only, or roll back to it. */
export function VersionsDialog({
  open,
  onOpenChange,
  flowId,
  publishedVersion,
  canEdit,
  onView,
  onRolledBack,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  flowId: string;
  publishedVersion: number | null;
  canEdit: boolean;
  onView: (version: number) => void;
  onRolledBack: (version: number) => void;
}) {
  const queryClient = useQueryClient();
  const [rollingBack, setRollingBack] = useState<FlowVersion | null>(null);
  const versions = useQuery({
    queryKey: ['versions', flowId, publishedVersion],
    queryFn: () => api.versions(flowId),
    enabled: open,
  });
  const rollback = useMutation({
    mutationFn: (version: number) => {
      // The draft is replaced: with the etag this tab loaded, so a save from elsewhere is not lost (412).
      const etag = useEditorStore.getState().etag;
      if (etag === null) throw new Error('The draft is still loading. Try again in a moment.');
      return api.rollback(flowId, version, etag);
    },
    onSuccess: ({ version }, from) => {
      queryClient.invalidateQueries({ queryKey: ['versions', flowId] });
      setRollingBack(null);
      onOpenChange(false);
      toast.success(
        `Rolled back to version ${from}`,
        `It is live again as version ${version}, and it is your draft now.`,
      );
      onRolledBack(version);
    },
    onError: (error) => toast.error('Could not roll back', errorMessage(error)),
  });

  return (
    <>
      <Dialog open={open} onOpenChange={onOpenChange}>
        <DialogContent className="max-w-lg">
          <DialogHeader>
            <DialogTitle>Version history</DialogTitle>
            <DialogDescription>
              Every publish is kept as it was. Roll back to make an older version live again.
            </DialogDescription>
          </DialogHeader>
          {versions.isPending ? (
            <LoadingState label="Loading versions…" />
          ) : versions.isError ? (
            <ErrorState
              title="Versions could not be loaded"
              message={errorMessage(versions.error)}
              onRetry={() => versions.refetch()}
            />
          ) : versions.data.length === 0 ? (
            <EmptyState icon={<History />} title="Not published yet">
              Publish the flow to create version 1.
            </EmptyState>
          ) : (
            <ul
              aria-label="Versions"
              className="flex max-h-96 flex-col divide-y overflow-y-auto rounded-lg border"
            >
              {versions.data.map((version) => {
                const live = version.version === publishedVersion;
                return (
                  <li
                    key={version.id}
                    className="flex items-center gap-3 px-3 py-2.5"
                    data-testid={`version-${version.version}`}
                  >
                    <div className="min-w-0 flex-1">
                      <p className="flex items-center gap-2 text-sm font-medium">
                        Version {version.version}
                        {live && <Badge variant="success">Live</Badge>}
                      </p>
                      <p className="text-xs text-muted-foreground">
                        Published {formatWhen(version.publishedAt ?? version.createdAt)}
                      </p>
                    </div>
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => {
                        onOpenChange(false);
                        onView(version.version);
                      }}
                      aria-label={`View version ${version.version}`}
                    >
                      <Eye aria-hidden /> View
                    </Button>
                    {canEdit && !live && (
                      <Button
                        variant="outline"
                        size="sm"
                        onClick={() => setRollingBack(version)}
                        aria-label={`Roll back to version ${version.version}`}
                      >
                        <RotateCcw aria-hidden /> Roll back
                      </Button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </DialogContent>
      </Dialog>
      <ConfirmDialog
        open={rollingBack !== null}
        onOpenChange={(value) => !value && setRollingBack(null)}
        title={`Roll back to version ${rollingBack?.version ?? ''}?`}
        description="A copy of it is published as the newest version, and it replaces your current draft. Conversations in progress finish on their version."
        confirmLabel="Roll back"
        busy={rollback.isPending}
        onConfirm={() => rollingBack && rollback.mutate(rollingBack.version)}
      />
    </>
  );
}
