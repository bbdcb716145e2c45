import type { Edge, FlowDocument, FlowNode, Trigger } from '../flow/document.js';
import { maskHeaderValues, SAVED_SECRET } from '../secrets/header-secrets.js';

export interface FlowChange {
  kind: 'added' | 'removed' | 'changed';
  entity: 'flow' | 'settings' | 'trigger' | 'node' | 'edge';
  id: string | null;
  /** JSON pointer inside the entity of a changed field (`/config/prompt`), when one field changed. */
  field?: string;
  before?: unknown;
  after?: unknown;
  /** A sentence for people: "Question “n2”: prompt changed". */
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

function nodeLabel(node: FlowNode): string {
  const kind = node.type.replace('_', ' ');
  return `${kind.charAt(0).toUpperCase()}${kind.slice(1)} “${node.id}”`;
}

function edgeLabel(edge: Edge): string {
  return `connection ${edge.source} (${edge.sourceHandle}) → ${edge.target}`;
}

function diffById<T extends { id: string }>(
  before: T[],
  after: T[],
  entity: FlowChange['entity'],
  label: (item: T) => string,
  ignore: (field: string) => boolean = () => false,
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
        description: `${label(item)}: ${change.field.replace(/^\/(config\/)?/, '').replaceAll('/', '.')} changed`,
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
      description: `Setting ${change.field.slice(1).replaceAll('/', '.')} changed`,
    });
  }
  changes.push(...diffById<Trigger>(before.triggers, after.triggers, 'trigger', (t) => `trigger “${t.id}”`));
  changes.push(
    ...diffById<FlowNode>(before.nodes, after.nodes, 'node', nodeLabel, (field) =>
      field.startsWith('/position'),
    ).map(hideHeaderValues),
  );
  changes.push(...diffById<Edge>(before.edges, after.edges, 'edge', edgeLabel));
  return changes;
}
