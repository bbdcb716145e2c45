import { useReactFlow } from '@xyflow/react';
import {
  AlertCircle,
  ArrowLeft,
  BarChart3,
  Check,
  ClipboardList,
  FlaskConical,
  History,
  LayoutDashboard,
  Loader2,
  Maximize,
  MessageCircle,
  Redo2,
  Rocket,
  Settings2,
  Undo2,
} from 'lucide-react';
import type * as React from 'react';
import { Link } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Tooltip } from '@/components/ui/tooltip';
import { autoLayout, layoutInput } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { saveNow } from './save/autosave';

function SaveStatus() {
  const status = useEditorStore((state) => state.saveStatus);
  const error = useEditorStore((state) => state.saveError);
  const readOnly = useEditorStore((state) => state.readOnly);
  if (readOnly) return <Badge variant="secondary">Read only</Badge>;
  const content = {
    saved: {
      icon: <Check className="size-3.5" aria-hidden />,
      text: 'Saved',
      className: 'text-muted-foreground',
    },
    dirty: { icon: null, text: 'Unsaved changes', className: 'text-muted-foreground' },
    saving: {
      icon: <Loader2 className="size-3.5 animate-spin" aria-hidden />,
      text: 'Saving…',
      className: 'text-muted-foreground',
    },
    error: {
      icon: <AlertCircle className="size-3.5" aria-hidden />,
      text: 'Not saved',
      className: 'text-destructive',
    },
    conflict: {
      icon: <AlertCircle className="size-3.5" aria-hidden />,
      text: 'Changed elsewhere',
      className: 'text-destructive',
    },
  }[status];
  return (
    <span className="flex items-center gap-2">
      <span
        role="status"
        data-testid="save-status"
        className={cn('flex items-center gap-1 text-xs', content.className)}
        title={error ?? undefined}
      >
        {content.icon}
        {content.text}
      </span>
      {status === 'error' && (
        <Button variant="link" size="sm" className="h-auto p-0 text-xs" onClick={() => void saveNow()}>
          Retry
        </Button>
      )}
    </span>
  );
}

function ToolButton({
  label,
  shortcut,
  onClick,
  disabled,
  pressed,
  children,
}: {
  label: string;
  shortcut?: string;
  onClick: () => void;
  disabled?: boolean;
  pressed?: boolean;
  children: React.ReactNode;
}) {
  return (
    <Tooltip content={shortcut ? `${label} (${shortcut})` : label}>
      <Button
        variant={pressed ? 'secondary' : 'ghost'}
        size="icon-sm"
        aria-label={label}
        aria-pressed={pressed}
        aria-keyshortcuts={shortcut?.replaceAll('Ctrl', 'Control')}
        onClick={onClick}
        disabled={disabled ?? false}
      >
        {children}
      </Button>
    </Tooltip>
  );
}

export interface EditorHeaderProps {
  canEdit: boolean;
  viewing: number | null;
  publishedVersion: number | null;
  previewOpen: boolean;
  onTogglePreview: () => void;
  liveTestOpen: boolean;
  onToggleLiveTest: () => void;
  analyticsOn: boolean;
  onToggleAnalytics: () => void;
  onOpenSettings: () => void;
  onOpenVersions: () => void;
  onOpenTests: () => void;
  onPublish: () => void;
}

/** The editor's top bar: back, name, save state, history, layout, preview, versions, publish. */
export function EditorHeader(props: EditorHeaderProps) {
  const name = useEditorStore((state) => state.meta.name);
  const readOnly = useEditorStore((state) => state.readOnly);
  const canUndo = useEditorStore((state) => state.past.length > 0);
  const canRedo = useEditorStore((state) => state.future.length > 0);
  const flow = useReactFlow();

  const layout = () => {
    const { nodes, edges, applyPositions } = useEditorStore.getState();
    applyPositions(autoLayout(layoutInput(nodes, edges)));
    requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 }));
  };

  return (
    <header className="flex h-14 shrink-0 items-center gap-2 border-b bg-card px-3">
      <Button asChild variant="ghost" size="icon-sm" aria-label="Back to flows">
        <Link to="/flows">
          <ArrowLeft aria-hidden />
        </Link>
      </Button>
      <div className="flex min-w-0 flex-col max-md:flex-1">
        <label htmlFor="flow-name-input" className="sr-only">
          Flow name
        </label>
        <input
          id="flow-name-input"
          value={name}
          readOnly={readOnly}
          onChange={(event) => {
            const { meta, setMeta } = useEditorStore.getState();
            setMeta({ ...meta, name: event.target.value }, 'name');
          }}
          className="w-64 truncate rounded px-1.5 max-md:w-full py-0.5 text-sm font-semibold hover:bg-muted focus:bg-card focus:outline-none focus:ring-2 focus:ring-ring"
        />
        <div className="flex items-center gap-2 px-1.5">
          {props.publishedVersion === null ? (
            <span className="text-[11px] text-muted-foreground">Not published yet</span>
          ) : (
            <span className="text-[11px] text-emerald-700">Published: version {props.publishedVersion}</span>
          )}
          <span className="text-[11px] text-slate-300" aria-hidden>
            •
          </span>
          <SaveStatus />
        </div>
      </div>
      {/* On a phone the flow is only looked at: the tools need a larger screen. */}
      <div className="ml-auto flex items-center gap-0.5 max-md:hidden">
        {props.canEdit && props.viewing === null && (
          <>
            <ToolButton
              label="Undo"
              shortcut="Ctrl+Z"
              onClick={() => useEditorStore.getState().undo()}
              disabled={!canUndo}
            >
              <Undo2 aria-hidden />
            </ToolButton>
            <ToolButton
              label="Redo"
              shortcut="Ctrl+Shift+Z"
              onClick={() => useEditorStore.getState().redo()}
              disabled={!canRedo}
            >
              <Redo2 aria-hidden />
            </ToolButton>
            <span className="mx-1.5 h-5 w-px bg-border" aria-hidden />
            <ToolButton label="Tidy up the layout" onClick={layout}>
              <LayoutDashboard aria-hidden />
            </ToolButton>
          </>
        )}
        <ToolButton
          label="Zoom to fit"
          onClick={() => void flow.fitView({ padding: 0.2, duration: 300, maxZoom: 1 })}
        >
          <Maximize aria-hidden />
        </ToolButton>
        <ToolButton label="Flow settings" onClick={props.onOpenSettings}>
          <Settings2 aria-hidden />
        </ToolButton>
        <span className="mx-1.5 h-5 w-px bg-border" aria-hidden />
        <Button
          variant={props.previewOpen ? 'secondary' : 'ghost'}
          size="sm"
          aria-pressed={props.previewOpen}
          onClick={props.onTogglePreview}
        >
          <ClipboardList aria-hidden /> Preview form
        </Button>
        {props.canEdit && props.viewing === null && (
          <Button
            variant={props.liveTestOpen ? 'secondary' : 'ghost'}
            size="sm"
            aria-pressed={props.liveTestOpen}
            onClick={props.onToggleLiveTest}
          >
            <MessageCircle aria-hidden /> Live test
          </Button>
        )}
        <Button
          variant={props.analyticsOn ? 'secondary' : 'ghost'}
          size="sm"
          aria-pressed={props.analyticsOn}
          onClick={props.onToggleAnalytics}
        >
          <BarChart3 aria-hidden /> Show analytics
        </Button>
        <Button variant="ghost" size="sm" onClick={props.onOpenTests}>
          <FlaskConical aria-hidden /> Tests
        </Button>
        <Button variant="ghost" size="sm" onClick={props.onOpenVersions}>
          <History aria-hidden /> Versions
        </Button>
        {props.canEdit && props.viewing === null && (
          <Button size="sm" className="ml-1" onClick={props.onPublish}>
            <Rocket aria-hidden /> Publish
          </Button>
        )}
      </div>
      {/* A phone reads the tests' results: the one tool it keeps. */}
      <Button variant="ghost" size="sm" className="md:hidden" onClick={props.onOpenTests}>
        <FlaskConical aria-hidden /> Tests
      </Button>
    </header>
  );
}
