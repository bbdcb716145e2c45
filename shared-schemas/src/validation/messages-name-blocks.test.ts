import { describe, expect, it } from 'vitest';
import { fixtureFlows, type Json } from './fixtures/mutate.js';
import { validateFlow } from './validate-flow.js';

type Doc = Json & { triggers: Json[]; nodes: Json[]; edges: Json[] };

/**
 * The flow with every node under an id no message could contain by chance, so a message that
 * leaks a node's id is caught whatever words the flow's texts use.
 */
function withOpaqueIds(flow: Json): { doc: Doc; ids: string[] } {
  const doc = structuredClone(flow) as Doc;
  const rename = new Map(doc.nodes.map((node, index) => [node.id as string, `blk${index}qz`]));
  const to = (id: unknown) => rename.get(id as string) ?? id;
  for (const node of doc.nodes) {
    node.id = to(node.id);
    const config = node.config as Json;
    if (node.type === 'jump') config.target = to(config.target);
  }
  for (const edge of doc.edges) Object.assign(edge, { source: to(edge.source), target: to(edge.target) });
  for (const trigger of doc.triggers) trigger.target = to(trigger.target);
  return { doc, ids: [...rename.values()] };
}

/** Ways an imported or half-edited flow goes wrong, each reported by the graph rules. */
const BREAKAGES: Record<string, (doc: Doc) => void> = {
  'as it is': () => {},
  'a connection to a block that is gone': (doc) => {
    (doc.edges[0] as Json).target = 'gonezz';
  },
  'a connection from a block that is gone': (doc) => {
    (doc.edges[0] as Json).source = 'gonezz';
  },
  'a connection from an outcome the block lacks': (doc) => {
    (doc.edges[0] as Json).sourceHandle = 'c99';
  },
  'an outcome connected twice': (doc) => {
    doc.edges.push({ ...(doc.edges[0] as Json), id: 'e-copy' });
  },
  'two blocks under one id': (doc) => {
    doc.nodes.push({ ...(doc.nodes[0] as Json) });
  },
  'a start leading nowhere': (doc) => {
    (doc.triggers[0] as Json).target = 'gonezz';
  },
  'a jump to a block that is gone': (doc) => {
    for (const node of doc.nodes) if (node.type === 'jump') (node.config as Json).target = 'gonezz';
  },
  'a block nothing leads to': (doc) => {
    doc.nodes.push({ id: 'lonelyqz', type: 'end', config: {} });
  },
  'one variable asked as text and as a number': (doc) => {
    const asks = (variable: string, type: string) => ({
      id: `ask${type}qz`,
      type: 'question',
      config: { prompt: 'How many?', variable, answer: { type } },
    });
    doc.nodes.push(asks('count', 'string'), asks('count', 'number'));
  },
};

describe('validation messages name blocks as people do', () => {
  for (const { file, flow } of fixtureFlows()) {
    for (const [breakage, breakIt] of Object.entries(BREAKAGES)) {
      it(`${file}, ${breakage}: no id, no pointer, no setting key`, () => {
        const { doc, ids } = withOpaqueIds(flow);
        breakIt(doc);
        const { errors, warnings } = validateFlow(doc);
        for (const { message } of [...errors, ...warnings]) {
          for (const id of [...ids, 'gonezz', 'lonelyqz', 'c99']) expect(message).not.toContain(id);
          expect(message).not.toMatch(/\/(nodes|edges|triggers|config)\b|sourceHandle|schemaVersion/);
        }
      });
    }
  }
});
