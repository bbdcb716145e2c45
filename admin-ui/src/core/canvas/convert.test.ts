import { FLOW_TEMPLATES, validateFlow } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { canvasToDocument, documentToCanvas } from './convert';
import { isTriggerNode, triggerNodeId } from './model';

describe('canvas ⇄ Flow Document', () => {
  it.each(FLOW_TEMPLATES.map((template) => [template.id, template.document] as const))(
    'round-trips the %s template unchanged',
    (_id, document) => {
      expect(canvasToDocument(documentToCanvas(document))).toEqual(document);
    },
  );

  it('keeps a node’s label through the canvas', () => {
    const document = structuredClone(FLOW_TEMPLATES[0]!.document);
    document.nodes[1] = { ...document.nodes[1]!, label: 'Name' } as (typeof document.nodes)[number];
    expect(canvasToDocument(documentToCanvas(document))).toEqual(document);
  });

  it('draws each trigger as a Start card connected to its target, left of it', () => {
    const document = FLOW_TEMPLATES[0]!.document;
    const canvas = documentToCanvas(document);
    const start = canvas.nodes.find(isTriggerNode)!;
    expect(start.id).toBe(triggerNodeId('t1'));
    const target = canvas.nodes.find((node) => node.id === 'n1')!;
    expect(start.position.x).toBeLessThan(target.position.x);
    expect(canvas.edges).toContainEqual(
      expect.objectContaining({ source: start.id, sourceHandle: 'start', target: 'n1' }),
    );
  });

  it('keeps trigger edges out of the document edges and gives a trigger without an edge an empty target', () => {
    const canvas = documentToCanvas(FLOW_TEMPLATES[0]!.document);
    const withoutStartEdge = {
      ...canvas,
      edges: canvas.edges.filter((edge) => !edge.source.startsWith('trigger:')),
    };
    const document = canvasToDocument(withoutStartEdge);
    expect(document.triggers[0]?.target).toBe('');
    expect(document.edges.every((edge) => !edge.source.startsWith('trigger:'))).toBe(true);
    expect(validateFlow(document).errors.map((problem) => problem.pointer)).toContain('/triggers/0/target');
  });

  it('places nodes without a position on a grid and stores rounded positions', () => {
    const document = structuredClone(FLOW_TEMPLATES[0]!.document);
    delete document.nodes[2]!.position;
    const canvas = documentToCanvas(document);
    const moved = canvas.nodes.map((node) =>
      node.id === 'n1' ? { ...node, position: { x: 10.123, y: 20.987 } } : node,
    );
    const back = canvasToDocument({ ...canvas, nodes: moved });
    expect(back.nodes[2]!.position).toEqual({ x: 640, y: 0 });
    expect(back.nodes[0]!.position).toEqual({ x: 10.1, y: 21 });
  });

  it('keeps settings and name, and block order', () => {
    const document = FLOW_TEMPLATES[1]!.document;
    const back = canvasToDocument(documentToCanvas(document));
    expect(back.settings).toEqual(document.settings);
    expect(back.nodes.map((node) => node.id)).toEqual(document.nodes.map((node) => node.id));
  });
});
