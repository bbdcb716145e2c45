import type { Flow } from '@parley/contract';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { ClipboardList, Eye, MessageCircle, SlidersHorizontal } from 'lucide-react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { documentToCanvas } from '@/core/canvas';
import { api, errorMessage } from '@/infrastructure/api';
import { hasRole, useSession } from '@/infrastructure/store';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { isPhoneScreen } from '@/lib/use-is-phone';
import { AnalyticsBar } from './analytics/AnalyticsBar';
import { FlowCanvas } from './canvas/FlowCanvas';
import { EditorHeader } from './EditorHeader';
import { FlowSettingsDialog } from './flow-settings/FlowSettingsDialog';
import { type DockItem, PanelDock } from './layout/PanelDock';
import { usePanels } from './layout/panel-store';
import { LiveTest } from './live-test/LiveTest';
import { Palette } from './palette/Palette';
import { ProblemsPanel } from './problems/ProblemsPanel';
import { PublishDialog } from './publish/PublishDialog';
import { saveNow, startAutosave } from './save/autosave';
import { ConflictDialog } from './save/ConflictDialog';
import { SettingsPanel } from './settings/SettingsPanel';
import { TestsDialog } from './tests/TestsDialog';
import { useFlowDocument, useLiveValidation } from './use-flow-document';

// The preview carries the answer parsers (dates in a dozen languages, phone metadata): loaded when opened.
const FormPreview = lazy(() =>
  import('./preview/FormPreview').then((module) => ({ default: module.FormPreview })),
);

import { VersionsDialog } from './versions/VersionsDialog';

function loadDraft(flow: Flow, canEdit: boolean): void {
  useEditorStore.getState().load(documentToCanvas(flow.draft.definition), {
    flowId: flow.id,
    etag: flow.draft.etag,
    readOnly: !canEdit,
  });
}

function Workspace({
  flowId,
  canEdit,
  phone,
  initialPublished,
}: {
  flowId: string;
  canEdit: boolean;
  phone: boolean;
  initialPublished: number | null;
}) {
  const document = useFlowDocument();
  useLiveValidation(document);
  const [publishedVersion, setPublishedVersion] = useState(initialPublished);
  const [viewing, setViewing] = useState<number | null>(null);
  const [panel, setPanel] = useState<'preview' | 'live' | null>(null);
  const previewOpen = panel === 'preview';
  const liveTestOpen = panel === 'live';
  const [analyticsOn, setAnalyticsOn] = useState(false);
  const [publishOpen, setPublishOpen] = useState(false);
  const [versionsOpen, setVersionsOpen] = useState(false);
  const [testsOpen, setTestsOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const oneSelected = useEditorStore((state) => state.nodes.filter((node) => node.selected).length === 1);
  const folded = usePanels((state) => state.folded);
  const togglePanel = usePanels((state) => state.toggle);
  const unfold = usePanels((state) => state.unfold);
  // A panel the admin asks for shows, even if it was folded when last closed.
  const openPanel = (next: 'preview' | 'live' | null) => {
    if (next !== null) unfold(next);
    setPanel(next);
  };
  // With a side panel and a block's settings both showing, the palette narrows to icons on its own.
  const sidePanelShown = (previewOpen && !folded.preview) || (liveTestOpen && !folded.live);
  const crowded = sidePanelShown && oneSelected && !folded.settings;
  const dock: DockItem[] = [
    ...(oneSelected
      ? [{ panel: 'settings', name: 'block settings', short: 'Block', icon: SlidersHorizontal } as const]
      : []),
    ...(previewOpen
      ? [{ panel: 'preview', name: 'form preview', short: 'Form', icon: ClipboardList } as const]
      : []),
    ...(liveTestOpen
      ? [{ panel: 'live', name: 'live test', short: 'Test', icon: MessageCircle } as const]
      : []),
  ];

  useEffect(() => startAutosave(), []);
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      const { revision, savedRevision, readOnly } = useEditorStore.getState();
      if (!readOnly && revision !== savedRevision) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const reloadDraft = async () => {
    const flow = await api.getFlow(flowId);
    loadDraft(flow, canEdit);
    setPublishedVersion(flow.publishedVersion);
    setViewing(null);
  };

  const view = async (version: number) => {
    try {
      await saveNow();
      const found = await api.version(flowId, version);
      const { etag } = useEditorStore.getState();
      useEditorStore
        .getState()
        .load(documentToCanvas(found.definition), { flowId, etag: etag ?? '', readOnly: true });
      setViewing(version);
    } catch (error) {
      toast.error(`Could not open version ${version}`, errorMessage(error));
    }
  };

  return (
    <div className="flex h-full flex-col">
      <EditorHeader
        canEdit={canEdit}
        viewing={viewing}
        publishedVersion={publishedVersion}
        previewOpen={previewOpen}
        onTogglePreview={() => openPanel(previewOpen ? null : 'preview')}
        liveTestOpen={liveTestOpen}
        onToggleLiveTest={() => openPanel(liveTestOpen ? null : 'live')}
        analyticsOn={analyticsOn}
        onToggleAnalytics={() => setAnalyticsOn(!analyticsOn)}
        onOpenSettings={() => setSettingsOpen(true)}
        onOpenVersions={() => setVersionsOpen(true)}
        onOpenTests={() => setTestsOpen(true)}
        onPublish={() => setPublishOpen(true)}
      />
      {phone && (
        <p role="note" className="border-b bg-amber-50 px-4 py-2 text-sm text-amber-900">
          Editing needs a larger screen. You can look around this flow here; open it on a computer to change
          it.
        </p>
      )}
      <div className="flex min-h-0 flex-1">
        {canEdit && viewing === null && (
          <div className={crowded || folded.palette ? 'w-[60px] shrink-0' : 'w-[232px] shrink-0'}>
            <Palette
              compact={crowded || folded.palette}
              onToggleCompact={crowded ? undefined : () => togglePanel('palette')}
            />
          </div>
        )}
        <div className="relative min-w-0 flex-1">
          {viewing !== null && (
            <div
              role="status"
              className="absolute left-1/2 top-3 z-10 flex -translate-x-1/2 items-center gap-3 rounded-full border bg-amber-50 py-1.5 pl-4 pr-1.5 text-sm text-amber-900 shadow-sm"
            >
              <Eye className="size-4" aria-hidden />
              You’re looking at version {viewing} (read only).
              <Button
                size="sm"
                variant="outline"
                className="h-7 rounded-full"
                onClick={() => void reloadDraft()}
              >
                Back to the draft
              </Button>
            </div>
          )}
          {analyticsOn && viewing === null && (
            <AnalyticsBar flowId={flowId} onClose={() => setAnalyticsOn(false)} />
          )}
          <FlowCanvas />
          <ProblemsPanel />
        </div>
        {/* On a phone the settings rise from the bottom over the canvas instead of taking its width. */}
        <div
          className={cn(
            phone && oneSelected
              ? 'fixed inset-x-0 bottom-0 z-30 h-[55%] shadow-xl [&>aside]:w-full [&>aside]:border-t'
              : 'contents',
            folded.settings && !phone && 'hidden',
          )}
        >
          <SettingsPanel />
        </div>
        {previewOpen && (
          <div className={folded.preview ? 'hidden' : 'contents'}>
            <Suspense fallback={<LoadingState label="Opening the form preview…" />}>
              <FormPreview document={document} onClose={() => setPanel(null)} />
            </Suspense>
          </div>
        )}
        {/* Folded, the live test stays mounted so that its conversation goes on. */}
        {liveTestOpen && (
          <div className={folded.live ? 'hidden' : 'contents'}>
            <LiveTest flowId={flowId} onClose={() => setPanel(null)} />
          </div>
        )}
        {/* Beside the block settings alone, closing is enough: the dock comes with a second panel or a folded one. */}
        {!phone && (previewOpen || liveTestOpen || dock.some((item) => folded[item.panel])) && (
          <PanelDock items={dock} />
        )}
      </div>
      <ConflictDialog />
      <FlowSettingsDialog open={settingsOpen} onOpenChange={setSettingsOpen} />
      <PublishDialog
        open={publishOpen}
        onOpenChange={setPublishOpen}
        flowId={flowId}
        publishedVersion={publishedVersion}
        onPublished={setPublishedVersion}
      />
      <TestsDialog open={testsOpen} onOpenChange={setTestsOpen} flowId={flowId} canEdit={canEdit} />
      <VersionsDialog
        open={versionsOpen}
        onOpenChange={setVersionsOpen}
        flowId={flowId}
        publishedVersion={publishedVersion}
        canEdit={canEdit}
        onView={(version) => void view(version)}
        onRolledBack={() => void reloadDraft()}
      />
    </div>
  );
}

/** The flow editor: canvas, palette, settings, problems, preview, publishing and versions. */
export function EditorPage() {
  const { flowId = '' } = useParams();
  const me = useSession((state) => state.me);
  // Settled when the flow opens: turning a tablet mid-edit must not reload the draft read only.
  const [phone] = useState(isPhoneScreen);
  const canEdit = hasRole(me, 'editor') && !phone;
  const loadedFlow = useEditorStore((state) => state.flowId);
  const [drawError, setDrawError] = useState<string | null>(null);
  const flow = useQuery({
    queryKey: ['flow', flowId],
    queryFn: () => api.getFlow(flowId),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
  });

  useEffect(() => {
    if (!flow.data) return;
    try {
      loadDraft(flow.data, canEdit);
      setDrawError(null);
    } catch {
      setDrawError('This flow’s file could not be drawn. Export it, fix it, and import it again.');
    }
  }, [flow.data, canEdit]);

  useEffect(() => {
    document.title = flow.data ? `${flow.data.name} · Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [flow.data]);

  if (flow.isError) {
    return (
      <ErrorState
        title="This flow could not be opened"
        message={errorMessage(flow.error)}
        onRetry={() => flow.refetch()}
      />
    );
  }
  if (drawError) return <ErrorState title="This flow could not be opened" message={drawError} />;
  if (flow.isPending || loadedFlow !== flowId) return <LoadingState label="Opening the flow…" />;
  return (
    <ReactFlowProvider>
      <Workspace
        key={flowId}
        flowId={flowId}
        canEdit={canEdit}
        phone={phone}
        initialPublished={flow.data.publishedVersion}
      />
    </ReactFlowProvider>
  );
}
