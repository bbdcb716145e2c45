import { type FlowDocument, type FlowNode, isNodeType, nodeDefinition, type Problem } from '@parley/schemas';
import { triggerNodeId } from './model';

/** A validation problem with the canvas element it belongs to. */
export interface LocatedProblem extends Problem {
  /** The canvas node to select for it (a block or a Start card), or null for flow-wide problems. */
  nodeId: string | null;
  /** Where in that element, for people: "Choices › 2 › Value". */
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
};

function humanPath(tokens: string[]): string {
  return tokens
    .map((token) => (/^\d+$/.test(token) ? String(Number(token) + 1) : (FIELD_NAMES[token] ?? token)))
    .filter((token) => token !== '')
    .join(' › ');
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

/** Attaches each problem to the block, Start card or connection source it points into. */
export function locateProblems(doc: FlowDocument, problems: Problem[]): LocatedProblem[] {
  return problems.map((problem) => {
    const tokens = problem.pointer.split('/').slice(1);
    const [kind, rawIndex, ...rest] = tokens;
    const index = Number(rawIndex);
    if (kind === 'nodes' && Number.isInteger(index)) {
      const node = doc.nodes[index];
      return { ...problem, nodeId: node?.id ?? null, where: whereInNode(node, rest) };
    }
    if (kind === 'triggers' && Number.isInteger(index)) {
      const trigger = doc.triggers[index];
      const emptyTarget = rest[0] === 'target' && trigger?.target === '';
      return {
        ...problem,
        message: emptyTarget ? 'Connect this start to the block where conversations begin.' : problem.message,
        nodeId: trigger ? triggerNodeId(trigger.id) : null,
        where: humanPath(rest),
      };
    }
    if (kind === 'edges' && Number.isInteger(index)) {
      const edge = doc.edges[index];
      return { ...problem, nodeId: edge?.source ?? null, where: humanPath(['connection', ...rest]) };
    }
    return { ...problem, nodeId: null, where: humanPath(tokens) };
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
