import { FLOW_TEMPLATES } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { canvasToDocument, documentToCanvas } from './convert';
import { type CanvasFlowNode, isFlowNode } from './model';
import {
  connect,
  copySelection,
  createNode,
  createTrigger,
  pasteClipboard,
  pruneDanglingEdges,
} from './operations';

const lead = () => documentToCanvas(FLOW_TEMPLATES[0]!.document);

describe('canvas operations', () => {
  it('creates a block with its type defaults under the next free id', () => {
    const node = createNode('question', { x: 1, y: 2 }, []);
    expect(node.id).toBe('n1');
    expect(node.data.config).toMatchObject({
      prompt: expect.any(String),
      variable: 'name',
      answer: { type: 'string' },
    });
  });

  it('gives a new question a variable no other block defines, so no answer is saved over', () => {
    const canvas = lead();
    const taken = canvas.nodes.map((node) => node.id);
    const first = createNode('question', { x: 0, y: 0 }, canvas.nodes);
    expect(first.id).toBe(`n${taken.filter((id) => /^n\d+$/.test(id)).length + 1}`);
    expect((first.data.config as { variable: string }).variable).toBe('answer_2');
    const second = createNode('question', { x: 0, y: 0 }, [...canvas.nodes, first]);
    expect((second.data.config as { variable: string }).variable).toBe('answer_3');
  });

  it('creates an any-message Start card leading to a block', () => {
    const { node, edge } = createTrigger({ nodes: [] }, 'n1', { x: 0, y: 0 });
    expect(node.data.trigger).toEqual({ id: 't1', type: 'any_message' });
    expect(edge).toMatchObject({ source: 'trigger:t1', sourceHandle: 'start', target: 'n1' });
  });

  it('replaces the connection of an outcome instead of adding a second one', () => {
    const canvas = lead();
    const edges = connect(canvas.nodes, canvas.edges, { source: 'n1', sourceHandle: 'next', target: 'n5' });
    const fromNext = edges.filter((edge) => edge.source === 'n1' && edge.sourceHandle === 'next');
    expect(fromNext).toHaveLength(1);
    expect(fromNext[0]!.target).toBe('n5');
    expect(new Set(edges.map((edge) => edge.id)).size).toBe(edges.length);
  });

  it('refuses connections into a Start card or without an outcome', () => {
    const canvas = lead();
    expect(
      connect(canvas.nodes, canvas.edges, { source: 'n1', sourceHandle: 'next', target: 'trigger:t1' }),
    ).toBe(canvas.edges);
    expect(connect(canvas.nodes, canvas.edges, { source: 'n1', sourceHandle: null, target: 'n2' })).toBe(
      canvas.edges,
    );
  });

  it('drops connections of outcomes that no longer exist (a removed choice)', () => {
    const canvas = lead();
    const edges = connect(canvas.nodes, canvas.edges, { source: 'n4', sourceHandle: 'c2', target: 'n5' });
    const nodes = canvas.nodes.map((node) => {
      if (node.id !== 'n4' || !isFlowNode(node)) return node;
      const config = node.data.config as { choices: { id: string }[] };
      return {
        ...node,
        data: { config: { ...config, choices: config.choices.filter((choice) => choice.id !== 'c2') } },
      } as CanvasFlowNode;
    });
    const pruned = pruneDanglingEdges(nodes, edges);
    expect(pruned.some((edge) => edge.sourceHandle === 'c2')).toBe(false);
    expect(pruned).toHaveLength(edges.length - 1);
  });

  it('pastes copies under new ids with their inner connections, leaving the original untouched', () => {
    const canvas = lead();
    const clipboard = copySelection(canvas, new Set(['n2', 'n3', 'trigger:t1']));
    expect(clipboard.nodes.map((node) => node.id)).toEqual(['n2', 'n3']);
    expect(clipboard.edges).toHaveLength(1);
    const pasted = pasteClipboard(clipboard, canvas, { x: 40, y: 40 });
    expect(pasted.nodes.map((node) => node.id)).toEqual(['n6', 'n7']);
    expect(pasted.edges).toEqual([{ id: 'e8', source: 'n6', sourceHandle: 'next', target: 'n7' }]);
    expect(pasted.nodes[0]!.position).toEqual({ x: 380, y: 40 });
    const document = canvasToDocument({
      ...canvas,
      nodes: [...canvas.nodes, ...pasted.nodes],
      edges: [...canvas.edges, ...pasted.edges],
    });
    expect(new Set(document.nodes.map((node) => node.id)).size).toBe(document.nodes.length);
  });

  it('points a pasted "go to" at the copy when its target was copied too', () => {
    const jump = {
      id: 'n9',
      type: 'jump',
      position: { x: 0, y: 0 },
      data: { config: { target: 'n2' } },
    } as CanvasFlowNode;
    const canvas = lead();
    const withJump = { ...canvas, nodes: [...canvas.nodes, jump] };
    const pasted = pasteClipboard(copySelection(withJump, new Set(['n2', 'n9'])), withJump, { x: 0, y: 0 });
    const copy = pasted.nodes.find((node) => node.type === 'jump')!;
    expect(copy.data.config).toEqual({ target: pasted.nodes[0]!.id });
  });
});
