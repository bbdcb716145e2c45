import type { Edge, FlowDocument, FlowNode, Trigger } from '../flow/document.js';
import { nodeName } from '../flow/node-name.js';
import { nodeDefinition } from '../nodes/registry.js';
import { maskHeaderValues, SAVED_SECRET } from '../secrets/header-secrets.js';

export interface FlowChange {
  kind: 'added' | 'removed' | 'changed';
  entity: 'flow' | 'settings' | 'trigger' | 'node' | 'edge';
  id: string | null;
  /** JSON pointer inside the entity of a changed field (`/config/prompt`), when one field changed. */
  field?: string;
  before?: unknown;
  after?: unknown;
  /** A sentence for people: "Question “Preferred date”: the retry message changed". */
  description: string;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Leaf-level differences between two JSON values, as pointers (arrays compared whole). */
function fieldChanges(
  before: unknown,
  after: unknown,
  pointer = '',
): { field: string; before: unknown; after: unknown }[] {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], `${pointer}/${escapeToken(key)}`));
  }
  return equal(before, after) ? [] : [{ field: pointer || '/', before, after }];
}

/** "maxAttempts" → "max attempts". */
function words(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The settings of a flow, named as the flow settings dialog names them. */
const SETTING_NAMES: Record<string, string> = {
  sessionTimeoutMinutes: 'when a chat expires',
  fallbackText: 'the message when something goes wrong',
  maxStepsPerTurn: 'the step limit',
  reminder: 'the reminder',
  expiredText: 'the message when a chat expires',
  defaultCountry: 'the default phone country',
  locale: 'the language and region',
  timeZone: 'the time zone',
  phoneCountryFromContact: 'reading phones in the contact’s country',
  replies: 'the built-in replies',
};

/** A setting in words; one Parley does not know by its key, spaced out. */
function settingName(key: string): string {
  return Object.hasOwn(SETTING_NAMES, key) ? (SETTING_NAMES[key] as string) : words(key);
}

/** A changed field of a node in words: its form title ("“Question”"), or "the retry message". */
function fieldName(node: FlowNode, field: string): string {
  const parts = field
    .replace(/^\/(config\/)?/, '')
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  const [top = '', ...rest] = parts;
  if (rest.length > 0)
    return `the ${words(top)} ${rest
      .filter((part) => !/^\d+$/.test(part))
      .map(words)
      .join(' ')}`.trim();
  const hint = nodeDefinition(node.type).settingsUi[top];
  const title = hint !== undefined && !Array.isArray(hint) ? hint['ui:title'] : undefined;
  return title === undefined ? `the ${words(top)}` : `“${title}”`;
}

function triggerName(trigger: Trigger): string {
  return 'keywords' in trigger && Array.isArray(trigger.keywords)
    ? `start on “${trigger.keywords.join(', ')}”`
    : 'start on any message';
}

/** A connection named by the nodes it joins and the outcome it leaves by. */
function edgeName(edge: Edge, nodes: Map<string, FlowNode>): string {
  const source = nodes.get(edge.source);
  const target = nodes.get(edge.target);
  const outcome =
    source === undefined
      ? edge.sourceHandle
      : (nodeDefinition(source.type)
          .handles(source.config as never)
          .find((handle) => handle.id === edge.sourceHandle)?.label ?? edge.sourceHandle);
  const from = source === undefined ? `“${edge.source}”` : nodeName(source);
  const to = target === undefined ? `“${edge.target}”` : nodeName(target);
  return `connection from ${from} (${outcome}) to ${to}`;
}

function diffById<T extends { id: string }>(
  before: T[],
  after: T[],
  entity: FlowChange['entity'],
  label: (item: T) => string,
  ignore: (field: string) => boolean = () => false,
  field: (item: T, field: string) => string = (_item, pointer) =>
    `the ${words(pointer.split('/').pop() ?? '')}`,
): FlowChange[] {
  const beforeById = new Map(before.map((item) => [item.id, item]));
  const afterById = new Map(after.map((item) => [item.id, item]));
  const changes: FlowChange[] = [];
  for (const item of before) {
    if (!afterById.has(item.id))
      changes.push({
        kind: 'removed',
        entity,
        id: item.id,
        before: item,
        description: `Removed ${label(item)}`,
      });
  }
  for (const item of after) {
    const old = beforeById.get(item.id);
    if (old === undefined) {
      changes.push({ kind: 'added', entity, id: item.id, after: item, description: `Added ${label(item)}` });
      continue;
    }
    for (const change of fieldChanges(old, item).filter((c) => !ignore(c.field))) {
      changes.push({
        kind: 'changed',
        entity,
        id: item.id,
        ...change,
        description: `${label(item)}: ${field(item, change.field)} changed`,
      });
    }
  }
  return changes;
}

/** A node's header values are secrets: a change says which header changed, never its values. */
function hideHeaderValues(change: FlowChange): FlowChange {
  const maskNode = (node: unknown) => (maskHeaderValues({ nodes: [node] }) as { nodes: unknown[] }).nodes[0];
  if (change.kind !== 'changed') {
    return change.kind === 'added'
      ? { ...change, after: maskNode(change.after) }
      : { ...change, before: maskNode(change.before) };
  }
  const field = change.field ?? '';
  if (field === '/config/headers') {
    const mask = (headers: unknown) =>
      headers === undefined
        ? undefined
        : Object.fromEntries(Object.keys(headers as object).map((name) => [name, SAVED_SECRET]));
    return { ...change, before: mask(change.before), after: mask(change.after) };
  }
  if (!field.startsWith('/config/headers/')) return change;
  const header = field.slice('/config/headers/'.length).replaceAll('~1', '/').replaceAll('~0', '~');
  const { before, after, ...rest } = change;
  const verb = before === undefined ? 'added' : after === undefined ? 'removed' : 'value changed';
  return {
    ...rest,
    ...(before === undefined ? {} : { before: SAVED_SECRET }),
    ...(after === undefined ? {} : { after: SAVED_SECRET }),
    description: `${change.description.slice(0, change.description.lastIndexOf(': '))}: header ${header} ${verb}`,
  };
}

/**
 * What changed from one Flow Document to another, entity by entity, in words an admin reads
 * before publishing. Node moves on the canvas (`position`) are not changes to the conversation.
 */
export function diffFlows(before: FlowDocument, after: FlowDocument): FlowChange[] {
  const changes: FlowChange[] = [];
  if (before.name !== after.name) {
    changes.push({
      kind: 'changed',
      entity: 'flow',
      id: null,
      field: '/name',
      before: before.name,
      after: after.name,
      description: 'Flow name changed',
    });
  }
  for (const change of fieldChanges(before.settings ?? {}, after.settings ?? {})) {
    changes.push({
      kind: 'changed',
      entity: 'settings',
      id: null,
      ...change,
      description: `Flow setting: ${settingName(change.field.split('/')[1] ?? '')} changed`,
    });
  }
  changes.push(...diffById<Trigger>(before.triggers, after.triggers, 'trigger', triggerName));
  changes.push(
    ...diffById<FlowNode>(
      before.nodes,
      after.nodes,
      'node',
      nodeName,
      (field) => field.startsWith('/position'),
      fieldName,
    ).map(hideHeaderValues),
  );
  const nodes = new Map([...before.nodes, ...after.nodes].map((node) => [node.id, node]));
  changes.push(...diffById<Edge>(before.edges, after.edges, 'edge', (edge) => edgeName(edge, nodes)));
  return changes;
}
