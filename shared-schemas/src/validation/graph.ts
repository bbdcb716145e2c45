import type { Edge, FlowDocument, FlowNode, Trigger } from '../flow/document.js';
import { handleKey, handlesOf } from '../flow/flow-index.js';
import { walkOrder } from '../flow/flow-order.js';
import { nodeName } from '../flow/node-name.js';
import { nodeDefinition } from '../nodes/registry.js';
import { patternProblem } from '../patterns/author-pattern.js';
import { templatePaths } from '../templates/template.js';
import { variableOfPath } from '../values/path.js';
import { messageCapWarnings } from './message-cap.js';
import type { ValidationOptions } from './options.js';
import { error, type Problem, warning } from './problem.js';

/** Tells whether a part of the document already failed the structural check (graph rules skip it). */
export type IsBroken = (pointer: string) => boolean;

interface Indexed<T> {
  index: number;
  item: T;
}

function usable<T>(items: T[], kind: string, isBroken: IsBroken): Indexed<T>[] {
  return items.flatMap((item, index) => (isBroken(`/${kind}/${index}`) ? [] : [{ index, item }]));
}

/** What to tell the admin when two parts of a kind share an id (only an imported file can do that). */
const DUPLICATE_ID: Record<string, string> = {
  nodes:
    'This block is a copy that shares its identity with another block, so connections cannot tell them apart. Delete it and add it again.',
  edges: 'This connection is a copy of another one. Delete it and connect the blocks again.',
  triggers: 'This start is a copy of another one. Delete it and add the start again.',
};

function duplicateIds(items: Indexed<{ id: string }>[], kind: string): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const { index, item } of items) {
    if (seen.has(item.id)) problems.push(error(`/${kind}/${index}/id`, DUPLICATE_ID[kind] as string));
    seen.add(item.id);
  }
  return problems;
}

/** An outcome as the block shows it: a choice or branch by its label. */
function outcomeName(node: FlowNode, handle: string): string {
  const found = nodeDefinition(node.type)
    .handles(node.config)
    .find((candidate) => candidate.id === handle);
  return found?.label ?? handle;
}

function checkEdges(view: CleanView): Problem[] {
  const problems: Problem[] = [];
  const used = new Set<string>();
  for (const { index, item: edge } of view.edges) {
    const at = `/edges/${index}`;
    const source = view.byId.get(edge.source);
    if (!view.allIds.has(edge.source)) {
      problems.push(
        error(
          `${at}/source`,
          'This connection starts at a block that no longer exists. Delete the connection.',
        ),
      );
    } else if (source !== undefined) {
      if (!handlesOf(source).includes(edge.sourceHandle)) {
        problems.push(
          error(
            `${at}/sourceHandle`,
            handlesOf(source).length === 0
              ? `${nodeName(source)} has no outcomes, so nothing can follow it. Delete this connection.`
              : `A connection leaves ${nodeName(source)} from an outcome it no longer has (a removed choice or branch). Delete the connection, or connect one of its outcomes instead.`,
          ),
        );
      }
      const key = handleKey(edge.source, edge.sourceHandle);
      if (used.has(key)) {
        problems.push(
          error(
            `${at}/sourceHandle`,
            `Outcome “${outcomeName(source, edge.sourceHandle)}” of ${nodeName(source)} is connected twice; keep one connection.`,
          ),
        );
      }
      used.add(key);
    }
    if (!view.allIds.has(edge.target)) {
      problems.push(
        error(
          `${at}/target`,
          'This connection leads to a block that no longer exists. Connect it to another block.',
        ),
      );
    }
  }
  return problems;
}

function checkTriggers(view: CleanView): Problem[] {
  const problems: Problem[] = [];
  for (const { index, item: trigger } of view.triggers) {
    if (!view.allIds.has(trigger.target)) {
      problems.push(
        error(
          `/triggers/${index}/target`,
          'This start leads to a block that no longer exists. Connect it to the block where conversations begin.',
        ),
      );
    }
    if (trigger.type === 'keyword' && trigger.match === 'regex') {
      for (const [k, keyword] of trigger.keywords.entries()) {
        const problem = patternProblem(keyword, { ignoreCase: true });
        if (problem !== null) {
          problems.push(error(`/triggers/${index}/keywords/${k}`, `This pattern can't be used: ${problem}`));
        }
      }
    }
  }
  return problems;
}

/** Answer types in the admin's words. */
const ANSWER_KIND: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'yes or no',
  array: 'a list of choices',
  object: 'a file or a location',
};

function checkVariableTypes(nodes: Indexed<FlowNode>[]): Problem[] {
  const problems: Problem[] = [];
  const typeOf = new Map<string, { type: string; node: FlowNode }>();
  for (const { index, item: node } of nodes) {
    const asked = nodeDefinition(node.type).asks?.(node.config);
    if (asked === undefined) continue;
    const { variable, answer } = asked;
    const first = typeOf.get(variable);
    if (first === undefined) {
      typeOf.set(variable, { type: answer.type, node });
    } else if (first.type !== answer.type) {
      problems.push(
        error(
          `/nodes/${index}/config/answer/type`,
          `${nodeName(first.node)} also saves its answer as “${variable}”, but as ${ANSWER_KIND[first.type] ?? first.type}; one variable takes one kind of answer. Give this question its own variable.`,
        ),
      );
    }
  }
  return problems;
}

function canReachFinish(edges: Edge[], nodes: Map<string, FlowNode>): Set<string> {
  const incoming = new Map<string, string[]>();
  const link = (from: string, to: string) => incoming.set(to, [...(incoming.get(to) ?? []), from]);
  for (const edge of edges) link(edge.source, edge.target);
  for (const node of nodes.values()) {
    for (const target of nodeDefinition(node.type).successors?.(node.config) ?? []) link(node.id, target);
  }
  const reached = new Set<string>();
  const stack = [...nodes.values()]
    .filter((node) => nodeDefinition(node.type).stops === 'finish')
    .map((node) => node.id);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(incoming.get(id) ?? []));
  }
  return reached;
}

function reachabilityWarnings(view: CleanView): Problem[] {
  const edges = view.edges.map(({ item }) => item);
  const reachable = new Set(
    walkOrder(
      view.triggers.map(({ item }) => item.target),
      edges,
      view.byId,
    ),
  );
  const finishing = canReachFinish(edges, view.byId);
  const problems: Problem[] = [];
  for (const { index, item: node } of view.nodes) {
    if (!reachable.has(node.id)) {
      problems.push(
        warning(
          `/nodes/${index}`,
          `${nodeName(node)} can never be reached: no start or connection leads to it.`,
        ),
      );
    } else if (!finishing.has(node.id)) {
      problems.push(
        warning(
          `/nodes/${index}`,
          `From ${nodeName(node)} no path reaches an End or Hand-off; conversations stop there silently.`,
        ),
      );
    }
  }
  return problems;
}

/** Outcomes left unconnected whose loose end fails the conversation or skips something silently. */
function unconnectedWarnings(view: CleanView): Problem[] {
  const connected = new Set(view.edges.map(({ item }) => `${item.source} ${item.sourceHandle}`));
  const problems: Problem[] = [];
  for (const { index, item: node } of view.nodes) {
    const messages = nodeDefinition(node.type).unconnected?.(node.config) ?? {};
    for (const [handle, message] of Object.entries(messages)) {
      if (message !== undefined && !connected.has(`${node.id} ${handle}`)) {
        problems.push(warning(`/nodes/${index}`, message));
      }
    }
  }
  return problems;
}

/** Two questions saving to one variable: the second answer silently replaces the first. */
function sharedAnswerWarnings(nodes: Indexed<FlowNode>[]): Problem[] {
  const firstAsker = new Map<string, FlowNode>();
  const problems: Problem[] = [];
  for (const { index, item: node } of nodes) {
    const asked = nodeDefinition(node.type).asks?.(node.config);
    if (asked === undefined) continue;
    const first = firstAsker.get(asked.variable);
    if (first === undefined) {
      firstAsker.set(asked.variable, node);
      continue;
    }
    // Different answer types are already an error of their own.
    if (nodeDefinition(first.type).asks?.(first.config)?.answer.type !== asked.answer.type) continue;
    problems.push(
      warning(
        `/nodes/${index}/config/variable`,
        `${nodeName(first)} already saves its answer as “${asked.variable}”; this answer would replace it. Give this question its own variable.`,
      ),
    );
  }
  return problems;
}

/**
 * The variables set on every path from a start to each node (undefined for nodes no start reaches):
 * what a node has defined leaves by all its outcomes but those its definition says leave it unset.
 */
function definedOnEveryPath(view: CleanView): Map<string, Set<string>> {
  const incoming = new Map<string, { from: string; handle: string | null }[]>();
  const arrive = (target: string, from: string, handle: string | null) =>
    incoming.set(target, [...(incoming.get(target) ?? []), { from, handle }]);
  for (const { item } of view.edges) arrive(item.target, item.source, item.sourceHandle);
  for (const { item: node } of view.nodes) {
    for (const next of nodeDefinition(node.type).successors?.(node.config) ?? []) arrive(next, node.id, null);
  }
  const starts = new Set(view.triggers.map(({ item }) => item.target));
  const defined = new Map<string, Set<string>>();
  const leaving = (node: FlowNode, handle: string | null): Set<string> | undefined => {
    const before = defined.get(node.id);
    if (before === undefined) return undefined;
    const definition = nodeDefinition(node.type);
    const unsetOn = definition.unsetOn?.(node.config) ?? {};
    // Own keys only: a handle written "constructor" must not find Object's.
    const unset = new Set(handle !== null && Object.hasOwn(unsetOn, handle) ? (unsetOn[handle] ?? []) : []);
    const own = definition.references(node.config).defines.filter((name) => !unset.has(name));
    return new Set([...before, ...own]);
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const { item: node } of view.nodes) {
      const sets = (incoming.get(node.id) ?? []).flatMap(({ from, handle }) => {
        const source = view.byId.get(from);
        const set = source === undefined ? undefined : leaving(source, handle);
        return set === undefined ? [] : [set];
      });
      if (starts.has(node.id)) sets.push(new Set());
      if (sets.length === 0) continue;
      const [first, ...rest] = sets as [Set<string>, ...Set<string>[]];
      const meet = new Set([...first].filter((name) => rest.every((set) => set.has(name))));
      const old = defined.get(node.id);
      if (old === undefined || old.size !== meet.size || [...meet].some((name) => !old.has(name))) {
        defined.set(node.id, meet);
        changed = true;
      }
    }
  }
  return defined;
}

/** A template that reads a variable some path to its node has not set: it would print empty. */
function maybeUnsetWarnings(view: CleanView): Problem[] {
  const everywhere = new Set(
    view.nodes.flatMap(({ item }) => nodeDefinition(item.type).references(item.config).defines),
  );
  const defined = definedOnEveryPath(view);
  const problems: Problem[] = [];
  for (const { index, item: node } of view.nodes) {
    const before = defined.get(node.id);
    if (before === undefined) continue;
    const refs = nodeDefinition(node.type).references(node.config);
    // Only what is sent: a condition may test on purpose whether a variable is set.
    const reads = refs.templates.flatMap(({ pointer, text }) =>
      templatePaths(text).map((path) => ({ pointer, path })),
    );
    const reported = new Set<string>();
    for (const { pointer, path } of reads) {
      const variable = variableOfPath(path);
      if (variable === null || !everywhere.has(variable) || before.has(variable)) continue;
      if (refs.defines.includes(variable) || reported.has(`${pointer} ${variable}`)) continue;
      reported.add(`${pointer} ${variable}`);
      problems.push(
        warning(
          `/nodes/${index}/config${pointer}`,
          `“${variable}” may be empty here: on some path to this block nothing has set it yet (for example after wrong answers, a skipped question or a failed request).`,
        ),
      );
    }
  }
  return problems;
}

function unknownVariableWarnings(nodes: Indexed<FlowNode>[]): Problem[] {
  const defined = new Set(
    nodes.flatMap(({ item }) => nodeDefinition(item.type).references(item.config).defines),
  );
  const problems: Problem[] = [];
  for (const { index, item: node } of nodes) {
    const refs = nodeDefinition(node.type).references(node.config);
    const reads = [
      ...refs.templates.flatMap(({ pointer, text }) =>
        templatePaths(text).map((path) => ({ pointer, path })),
      ),
      ...refs.reads,
    ];
    const reported = new Set<string>();
    for (const { pointer, path } of reads) {
      const variable = variableOfPath(path);
      if (variable === null || defined.has(variable) || reported.has(`${pointer} ${variable}`)) continue;
      reported.add(`${pointer} ${variable}`);
      problems.push(
        warning(
          `/nodes/${index}/config${pointer}`,
          `“${variable}” is never set by a question, Set variable or HTTP request, so it will be empty.`,
        ),
      );
    }
  }
  return problems;
}

/** The parts of the document that passed the structural check, with their original indexes. */
interface CleanView {
  triggers: Indexed<Trigger>[];
  nodes: Indexed<FlowNode>[];
  edges: Indexed<Edge>[];
  byId: Map<string, FlowNode>;
  /** Ids of every node that has one, broken or not: a reference to a broken node is not "missing". */
  allIds: Set<string>;
}

function cleanView(doc: FlowDocument, isBroken: IsBroken): CleanView {
  const nodes = usable(doc.nodes, 'nodes', isBroken);
  const byId = new Map<string, FlowNode>();
  for (const { item } of nodes) if (!byId.has(item.id)) byId.set(item.id, item);
  const allIds = new Set<string>();
  for (const node of doc.nodes as unknown[]) {
    const id = (node as { id?: unknown } | null)?.id;
    if (typeof id === 'string') allIds.add(id);
  }
  return {
    triggers: usable(doc.triggers, 'triggers', isBroken),
    nodes,
    edges: usable(doc.edges, 'edges', isBroken),
    byId,
    allIds,
  };
}

/**
 * The graph layer: rules that need the whole document (ids, connections, variables, reachability).
 * Warnings that depend on every node (reachability, unknown variables) wait until no node, edge or
 * trigger is structurally broken: a broken part would make them report things that are not so.
 */
export function validateGraph(
  doc: FlowDocument,
  isBroken: IsBroken,
  options: ValidationOptions = {},
): Problem[] {
  const view = cleanView(doc, isBroken);
  const nodesComplete = view.nodes.length === doc.nodes.length;
  const graphComplete =
    nodesComplete && view.edges.length === doc.edges.length && view.triggers.length === doc.triggers.length;
  return [
    ...duplicateIds(view.nodes, 'nodes'),
    ...duplicateIds(view.edges, 'edges'),
    ...duplicateIds(view.triggers, 'triggers'),
    ...view.nodes.flatMap(
      ({ index, item }) =>
        nodeDefinition(item.type).check?.(item.config, {
          pointer: `/nodes/${index}`,
          nodeIds: view.allIds,
          allowPrivateHttp: options.allowPrivateHttp === true,
          ...(options.aiCredentialIds === undefined ? {} : { aiCredentialIds: options.aiCredentialIds }),
        }) ?? [],
    ),
    ...checkEdges(view),
    ...checkTriggers(view),
    ...checkVariableTypes(view.nodes),
    ...(graphComplete ? reachabilityWarnings(view) : []),
    ...(graphComplete ? unconnectedWarnings(view) : []),
    ...sharedAnswerWarnings(view.nodes),
    ...(graphComplete ? messageCapWarnings(doc) : []),
    ...(nodesComplete ? unknownVariableWarnings(view.nodes) : []),
    ...(graphComplete ? maybeUnsetWarnings(view) : []),
  ];
}
