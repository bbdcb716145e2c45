import {
  type FlowDocument,
  type FlowNode,
  isNodeType,
  nodeDefinition,
  type Problem,
  structuralProblems,
} from '@parley/schemas';
import { triggerNodeId } from './model';
import { blockName, startName } from './names';

/** A validation problem with the canvas element it belongs to. */
export interface LocatedProblem extends Problem {
  /** The canvas node to select for it (a block or a Start card), or null for flow-wide problems. */
  nodeId: string | null;
  /** That element as people name it: “Question “What is your name?””, never its id. */
  block: string | null;
  /** Where in that element, for people: "Choices › 2 › Saved as". */
  where: string;
}

/** Names of the parts outside a node's own settings (those take their title from its form). */
const FIELD_NAMES: Record<string, string> = {
  config: '',
  text: 'Text',
  url: 'URL',
  target: 'Target',
  keywords: 'Keywords',
  sourceHandle: 'Outcome',
  settings: 'Flow settings',
  id: '',
  label: 'Label',
  value: 'Saved as',
  maxAttempts: 'Attempts',
};

/** A setting's key in words: `afterMinutes` → “After minutes”. */
function words(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function humanPath(tokens: string[]): string {
  return tokens
    .map((token) => (/^\d+$/.test(token) ? String(Number(token) + 1) : (FIELD_NAMES[token] ?? words(token))))
    .filter((token) => token !== '')
    .join(' › ');
}

/** Schema errors name a missing setting by its key: point at the setting instead, so it reads by its title. */
function missingSetting(problem: Problem, tokens: string[]): { tokens: string[]; message: string } {
  const missing = /^“(.+)” is required\.$/.exec(problem.message)?.[1];
  return missing === undefined
    ? { tokens, message: problem.message }
    : { tokens: [...tokens, missing], message: 'Must be filled in.' };
}

/** Where in a node: the settings field by the title its form shows, then the rest of the path. */
function whereInNode(node: FlowNode | undefined, tokens: string[]): string {
  const [config, field, ...inner] = tokens;
  const hints =
    node === undefined || !isNodeType(node.type) || config !== 'config' || field === undefined
      ? undefined
      : nodeDefinition(node.type).settingsUi[field];
  const title = hints === undefined || Array.isArray(hints) ? undefined : hints['ui:title'];
  if (title === undefined) return humanPath(tokens);
  return [title, humanPath(inner)].filter((part) => part !== '').join(' › ');
}

/** Attaches each problem to the block, Start card or connection source it points into, named for people. */
export function locateProblems(doc: FlowDocument, problems: Problem[]): LocatedProblem[] {
  // An empty text is the usual unfinished setting and leaves the block's summary readable.
  const broken = structuralProblems(doc)
    .filter((problem) => problem.message !== 'Must not be empty.')
    .map((problem) => problem.pointer);
  const sound = (pointer: string) => !broken.some((at) => at === pointer || at.startsWith(`${pointer}/`));
  const nameOf = (node: FlowNode | undefined, index: number) =>
    node === undefined ? null : blockName(node, sound(`/nodes/${index}`));
  return problems.map((problem) => {
    const { tokens, message } = missingSetting(problem, problem.pointer.split('/').slice(1));
    const [kind, rawIndex, ...rest] = tokens;
    const index = Number(rawIndex);
    if (kind === 'nodes' && Number.isInteger(index)) {
      const node = doc.nodes[index];
      return {
        ...problem,
        message,
        nodeId: node?.id ?? null,
        block: nameOf(node, index),
        where: whereInNode(node, rest),
      };
    }
    if (kind === 'triggers' && Number.isInteger(index)) {
      const trigger = doc.triggers[index];
      const emptyTarget = rest[0] === 'target' && trigger?.target === '';
      return {
        ...problem,
        message: emptyTarget ? 'Connect this start to the block where conversations begin.' : message,
        nodeId: trigger ? triggerNodeId(trigger.id) : null,
        block: trigger ? startName(trigger, sound(`/triggers/${index}`)) : null,
        where: emptyTarget ? '' : humanPath(rest),
      };
    }
    if (kind === 'edges' && Number.isInteger(index)) {
      const edge = doc.edges[index];
      const sourceIndex = doc.nodes.findIndex((node) => node.id === edge?.source);
      return {
        ...problem,
        message,
        nodeId: edge?.source ?? null,
        block: nameOf(doc.nodes[sourceIndex], sourceIndex),
        where: humanPath(['connection', ...rest]),
      };
    }
    return { ...problem, message, nodeId: null, block: null, where: humanPath(tokens) };
  });
}

/** Problems per canvas node, errors first. */
export function problemsByNode(problems: LocatedProblem[]): Map<string, LocatedProblem[]> {
  const byNode = new Map<string, LocatedProblem[]>();
  for (const problem of problems) {
    if (problem.nodeId === null) continue;
    byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem]);
  }
  for (const list of byNode.values())
    list.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return byNode;
}
