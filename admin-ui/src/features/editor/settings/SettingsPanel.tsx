import { nodeDefinition } from '@parley/schemas';
import { AlertTriangle, PlayCircle, Trash2, X, XCircle } from 'lucide-react';
import { LearnMore } from '@/components/learn-more';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { isFlowNode, isTriggerNode } from '@/core/canvas';
import { useEditorStore } from '@/infrastructure/store/editor-store';
import { cn } from '@/lib/cn';
import { nodeUi } from '../nodes/registry';
import { NodeSettingsForm } from './NodeSettingsForm';
import { TriggerSettingsForm } from './TriggerSettingsForm';

/** The side panel of the selected block or Start card. */
export function SettingsPanel() {
  const selected = useEditorStore((state) => {
    const chosen = state.nodes.filter((node) => node.selected);
    return chosen.length === 1 ? chosen[0] : undefined;
  });
  const readOnly = useEditorStore((state) => state.readOnly);
  const problems = useEditorStore((state) => (selected ? state.problemsByNode.get(selected.id) : undefined));
  const select = useEditorStore((state) => state.select);
  const deleteNode = useEditorStore((state) => state.deleteNode);
  const updateLabel = useEditorStore((state) => state.updateLabel);
  if (selected === undefined) return null;

  const trigger = isTriggerNode(selected);
  const title = trigger ? 'Start' : nodeDefinition(selected.type).title;
  const description = trigger
    ? 'When a conversation begins, and where.'
    : nodeDefinition(selected.type).description;
  const ui = trigger ? null : nodeUi(selected.type);
  const Icon = ui?.icon ?? PlayCircle;

  return (
    <aside
      aria-label={`${title} settings`}
      className="flex h-full w-[360px] shrink-0 flex-col border-l bg-card"
    >
      <header className="flex items-start gap-3 border-b px-4 py-3">
        <span
          className={cn(
            'mt-0.5 flex size-8 shrink-0 items-center justify-center rounded-lg',
            ui?.accent ?? 'bg-emerald-100 text-emerald-700',
          )}
        >
          <Icon className="size-4" aria-hidden />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold">{title}</h2>
          <p className="text-xs text-muted-foreground">{description}</p>
          {ui?.help && <LearnMore topic={ui.help} about={`the ${title} block`} />}
        </div>
        {!readOnly && (
          <Button
            variant="ghost"
            size="icon-sm"
            aria-label={`Delete ${title}`}
            onClick={() => deleteNode(selected.id)}
          >
            <Trash2 aria-hidden />
          </Button>
        )}
        <Button variant="ghost" size="icon-sm" aria-label="Close settings" onClick={() => select(null)}>
          <X aria-hidden />
        </Button>
      </header>
      <div className="flex-1 overflow-y-auto px-4 py-4">
        {!trigger && isFlowNode(selected) && (
          <div className="mb-4 flex flex-col gap-1.5">
            <Label htmlFor={`node-label-${selected.id}`}>Name</Label>
            <Input
              id={`node-label-${selected.id}`}
              value={selected.data.label ?? ''}
              placeholder="e.g. Preferred date"
              disabled={readOnly}
              aria-describedby={`node-label-${selected.id}-help`}
              onChange={(event) => updateLabel(selected.id, event.target.value)}
            />
            <p id={`node-label-${selected.id}-help`} className="text-xs text-muted-foreground">
              How this block is named on the canvas, in problems, changes and the funnel.
            </p>
          </div>
        )}
        {problems && problems.length > 0 && (
          <ul aria-label="Problems with this block" className="mb-4 flex flex-col gap-1.5">
            {problems.map((problem) => (
              <li
                key={`${problem.pointer}-${problem.message}`}
                className={cn(
                  'flex items-start gap-2 rounded-md px-2.5 py-2 text-xs',
                  problem.severity === 'error' ? 'bg-red-50 text-red-800' : 'bg-amber-50 text-amber-900',
                )}
              >
                {problem.severity === 'error' ? (
                  <XCircle className="mt-0.5 size-3.5 shrink-0" aria-label="Error" />
                ) : (
                  <AlertTriangle className="mt-0.5 size-3.5 shrink-0" aria-label="Warning" />
                )}
                <span>
                  {problem.where && <strong className="font-medium">{problem.where}: </strong>}
                  {problem.message}
                </span>
              </li>
            ))}
          </ul>
        )}
        {trigger ? (
          <TriggerSettingsForm key={selected.id} node={selected} readOnly={readOnly} />
        ) : (
          <NodeSettingsForm key={selected.id} node={selected} readOnly={readOnly} />
        )}
      </div>
    </aside>
  );
}
