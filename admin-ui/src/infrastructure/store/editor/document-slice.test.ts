import type { QuestionConfig } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { canvasToDocument, isFlowNode, isTriggerNode } from '@/core/canvas';
import { createEditorStore, editorCanvas } from '../editor-store';
import { ids, storeWithTemplate } from './test-store';

describe('document slice', () => {
  it('adds the first block with a Start card leading to it, selected, as an unsaved change', () => {
    const store = createEditorStore();
    store
      .getState()
      .load({ meta: { name: 'New' }, nodes: [], edges: [] }, { flowId: 'f', etag: '"1"', readOnly: false });
    const id = store.getState().addNode('message', { x: 100, y: 100 });
    const { nodes, edges, revision, saveStatus } = store.getState();
    expect(nodes.filter(isTriggerNode)).toHaveLength(1);
    expect(nodes.find((node) => node.id === id)).toMatchObject({ selected: true, type: 'message' });
    expect(edges).toEqual([expect.objectContaining({ target: id, sourceHandle: 'start' })]);
    expect(revision).toBe(1);
    expect(saveStatus).toBe('dirty');
  });

  it('adds later blocks alone, and deselects the rest', () => {
    const store = storeWithTemplate();
    const before = store.getState().nodes.length;
    store.getState().select('n1');
    const id = store.getState().addNode('end', { x: 0, y: 0 });
    const { nodes } = store.getState();
    expect(nodes).toHaveLength(before + 1);
    expect(nodes.filter((node) => node.selected).map((node) => node.id)).toEqual([id]);
  });

  it('starts a new AI block with the workspace’s provider and its default model, other blocks as they are', () => {
    const store = storeWithTemplate();
    const provider = '5d1f6a3e-0000-4000-8000-000000000001';
    const untouched = store.getState().addNode('ai_reply', { x: 0, y: 0 }) as string;
    store.getState().setAiStart({ credentialId: provider, model: 'gpt-4o-mini' });
    const reply = store.getState().addNode('ai_reply', { x: 0, y: 200 }) as string;
    const message = store.getState().addNode('message', { x: 0, y: 400 }) as string;
    const config = (id: string) => store.getState().nodes.find((node) => node.id === id)?.data;
    expect(config(untouched)).toMatchObject({ config: { credentialId: '', model: '' } });
    expect(config(reply)).toMatchObject({ config: { credentialId: provider, model: 'gpt-4o-mini' } });
    expect(config(message)).not.toMatchObject({ config: { credentialId: provider } });
  });

  it('changes a block’s settings only when they differ', () => {
    const store = storeWithTemplate();
    const block = store.getState().nodes.find(isFlowNode);
    if (block === undefined) throw new Error('The template has no block');
    const revision = store.getState().revision;
    store.getState().updateConfig(block.id, block.data.config, 'prompt');
    expect(store.getState().revision).toBe(revision);
    store.getState().updateConfig(block.id, { ...(block.data.config as object), note: 'x' }, 'note');
    expect(store.getState().revision).toBe(revision + 1);
  });

  it('deletes a node with every connection to or from it', () => {
    const store = storeWithTemplate();
    store.getState().deleteNode('n2');
    const { nodes, edges } = store.getState();
    expect(ids(nodes)).not.toContain('n2');
    expect(edges.filter((edge) => edge.source === 'n2' || edge.target === 'n2')).toEqual([]);
  });

  it('deletes the selection, and does nothing when nothing is selected', () => {
    const store = storeWithTemplate();
    const revision = store.getState().revision;
    store.getState().deleteSelection();
    expect(store.getState().revision).toBe(revision);
    store.getState().select('n3');
    store.getState().deleteSelection();
    expect(ids(store.getState().nodes)).not.toContain('n3');
  });

  it('lets the canvas move and select, but never remove, nodes; read-only, only select', () => {
    const store = storeWithTemplate();
    store.getState().onNodesChange([{ type: 'remove', id: 'n1' }]);
    expect(ids(store.getState().nodes)).toContain('n1');
    store.getState().onNodesChange([{ type: 'position', id: 'n1', position: { x: 7, y: 8 } }]);
    expect(store.getState().nodes.find((node) => node.id === 'n1')?.position).toEqual({ x: 7, y: 8 });

    store.getState().setReadOnly(true);
    store.getState().onNodesChange([{ type: 'position', id: 'n1', position: { x: 0, y: 0 } }]);
    store.getState().onNodesChange([{ type: 'select', id: 'n1', selected: true }]);
    const n1 = store.getState().nodes.find((node) => node.id === 'n1');
    expect(n1?.position).toEqual({ x: 7, y: 8 });
    expect(n1?.selected).toBe(true);
  });

  it('refuses every edit of a read-only flow', () => {
    const store = storeWithTemplate();
    store.getState().setReadOnly(true);
    const before = store.getState();
    expect(store.getState().addNode('end', { x: 0, y: 0 })).toBeNull();
    store.getState().deleteNode('n1');
    store.getState().setMeta({ name: 'Renamed' });
    store.getState().applyPositions(new Map([['n1', { x: 1, y: 1 }]]));
    expect(store.getState().nodes).toBe(before.nodes);
    expect(store.getState().meta).toBe(before.meta);
    expect(store.getState().revision).toBe(before.revision);
  });
});

describe('naming a block', () => {
  it('sets and removes a label, kept in the document', () => {
    const store = storeWithTemplate();
    store.getState().updateLabel('n2', 'Name');
    const labelOf = () =>
      canvasToDocument(editorCanvas(store.getState())).nodes.find((node) => node.id === 'n2')?.label;
    expect(labelOf()).toBe('Name');
    store.getState().updateLabel('n2', '  ');
    expect(labelOf()).toBeUndefined();
    // Typing a name is one undo step, like typing in any field.
    store.getState().undo();
    expect(labelOf()).toBeUndefined();
    expect(canvasToDocument(editorCanvas(store.getState())).nodes).toEqual(
      canvasToDocument(editorCanvas(storeWithTemplate().getState())).nodes,
    );
  });
});

describe('adding a block after the selected one', () => {
  it('puts it below and connects it from the first free outcome, as one undoable edit', () => {
    const store = storeWithTemplate();
    const n4 = store.getState().nodes.find((node) => node.id === 'n4');
    if (n4 === undefined) throw new Error('The template has no n4');
    store.getState().select('n4');
    const before = store.getState().edges.length;
    const id = store.getState().addNodeAfterSelection('message', { x: 999, y: 999 });
    const { nodes, edges } = store.getState();
    const added = nodes.find((node) => node.id === id);
    expect(added?.position.x).toBe(n4.position.x);
    expect(added?.position.y).toBeGreaterThan(n4.position.y);
    // n4 (a choice question) has Next and its choices connected or not: the first free one is used.
    const from = edges.find((edge) => edge.target === id);
    expect(from?.source).toBe('n4');
    expect(
      edges.filter((edge) => edge.source === 'n4' && edge.sourceHandle === from?.sourceHandle),
    ).toHaveLength(1);
    expect(edges).toHaveLength(before + 1);
    store.getState().undo();
    expect(store.getState().nodes.some((node) => node.id === id)).toBe(false);
    expect(store.getState().edges).toHaveLength(before);
  });

  it('adds at the given place, unconnected, when no single block is selected', () => {
    const store = storeWithTemplate();
    store.getState().select(null);
    const id = store.getState().addNodeAfterSelection('end', { x: 5, y: 6 });
    expect(store.getState().nodes.find((node) => node.id === id)?.position).toEqual({ x: 5, y: 6 });
    expect(store.getState().edges.some((edge) => edge.target === id)).toBe(false);
  });

  describe('a new question’s variable', () => {
    const configOf = (store: ReturnType<typeof storeWithTemplate>, id: string) => {
      const node = store.getState().nodes.find((candidate) => candidate.id === id);
      if (node === undefined || !isFlowNode(node)) throw new Error(`No block ${id}`);
      return node.data.config as QuestionConfig;
    };
    const type = (
      store: ReturnType<typeof storeWithTemplate>,
      id: string,
      changes: Partial<QuestionConfig>,
      field: string,
    ) => store.getState().updateConfig(id, { ...configOf(store, id), ...changes }, field);

    it('follows its prompt, apart from the names other blocks save under; one undo takes both back', () => {
      const store = storeWithTemplate();
      const id = store.getState().addNode('question', { x: 0, y: 0 }) as string;
      const before = configOf(store, id);
      type(store, id, { prompt: 'What is your name, please?' }, 'prompt');
      // The template already saves a “name”.
      expect(configOf(store, id)).toMatchObject({ prompt: 'What is your name, please?', variable: 'name_2' });
      type(store, id, { prompt: 'Which city do you live in?' }, 'prompt');
      expect(configOf(store, id).variable).toBe('city_live');
      store.getState().undo();
      expect(configOf(store, id)).toEqual(before);
    });

    it('stays as the admin wrote it once they edit it', () => {
      const store = storeWithTemplate();
      const id = store.getState().addNode('question', { x: 0, y: 0 }) as string;
      type(store, id, { variable: 'home_town' }, 'variable');
      type(store, id, { prompt: 'Which city do you live in?' }, 'prompt');
      expect(configOf(store, id).variable).toBe('home_town');
    });

    it('of a question the flow already had stays, whatever its prompt becomes', () => {
      const store = storeWithTemplate();
      const asked = store.getState().nodes.find((node) => node.type === 'question');
      if (asked === undefined) throw new Error('The template asks nothing');
      const variable = configOf(store, asked.id).variable;
      type(store, asked.id, { prompt: 'Which city do you live in?' }, 'prompt');
      expect(configOf(store, asked.id).variable).toBe(variable);
    });
  });
});
