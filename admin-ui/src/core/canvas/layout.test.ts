import { FLOW_TEMPLATES } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { documentToCanvas } from './convert';
import { autoLayout, DEFAULT_SIZE, layoutInput, TRIGGER_SIZE } from './layout';

describe('auto-layout', () => {
  it('feeds the layout the drawn sizes (or defaults) and the connections between known nodes', () => {
    const canvas = documentToCanvas(FLOW_TEMPLATES[2]!.document);
    const nodes = canvas.nodes.map((node) =>
      node.id === 'n1' ? { ...node, measured: { width: 300, height: 180 } } : node,
    );
    const edges = [
      ...canvas.edges,
      { id: 'x', source: 'n5', target: 'gone' },
      { id: 'self', source: 'n2', target: 'n2' },
    ];
    const input = layoutInput(nodes, edges);
    expect(input.nodes.find((node) => node.id === 'n1')).toEqual({ id: 'n1', width: 300, height: 180 });
    expect(input.nodes.find((node) => node.id === 'n2')).toEqual({ id: 'n2', ...DEFAULT_SIZE });
    expect(input.nodes.find((node) => node.id === 'trigger:t1')).toEqual({
      id: 'trigger:t1',
      ...TRIGGER_SIZE,
    });
    expect(input.edges.map((edge) => `${edge.source}>${edge.target}`)).toEqual([
      'trigger:t1>n1',
      'n1>n2',
      'n2>n3',
      'n2>n4',
      'n3>n5',
      'n4>n5',
      'n1>help',
      'n3>help',
      'n4>help',
    ]);
  });

  it('lays the flow out left to right without overlaps', () => {
    const canvas = documentToCanvas(FLOW_TEMPLATES[2]!.document);
    const input = layoutInput(canvas.nodes, canvas.edges);
    const positions = autoLayout(input);
    expect(positions.size).toBe(canvas.nodes.length);
    const x = (id: string) => positions.get(id)!.x;
    expect(x('trigger:t1')).toBeLessThan(x('n1'));
    expect(x('n1')).toBeLessThan(x('n2'));
    expect(x('n2')).toBeLessThan(x('n3'));
    expect(x('n3')).toBeLessThan(x('n5'));
    const boxes = input.nodes.map((node) => ({ ...positions.get(node.id)!, w: node.width, h: node.height }));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap).toBe(false);
      }
    }
  });
});
