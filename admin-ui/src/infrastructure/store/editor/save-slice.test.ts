import { describe, expect, it } from 'vitest';
import { storeWithTemplate } from './test-store';

describe('save slice', () => {
  it('loading a flow starts afresh: no history, no problems, saved, a new load id', () => {
    const store = storeWithTemplate();
    const loadId = store.getState().loadId;
    store.getState().deleteNode('n1');
    store
      .getState()
      .setProblems([
        { pointer: '/nodes/0', message: 'x', severity: 'error', nodeId: 'n2', block: null, where: '' },
      ]);
    store.getState().setSave({ saveStatus: 'error', saveError: 'offline' });
    store
      .getState()
      .load({ meta: { name: 'Other' }, nodes: [], edges: [] }, { flowId: 'f2', etag: '"9"', readOnly: true });
    expect(store.getState()).toMatchObject({
      flowId: 'f2',
      etag: '"9"',
      readOnly: true,
      loadId: loadId + 1,
      revision: 0,
      savedRevision: 0,
      saveStatus: 'saved',
      saveError: null,
      past: [],
      future: [],
      problems: [],
      nodes: [],
    });
    expect(store.getState().problemsByNode.size).toBe(0);
  });

  it('marks an edit unsaved, but a conflict stays a conflict until resolved', () => {
    const store = storeWithTemplate();
    store.getState().setMeta({ name: 'One' });
    expect(store.getState().saveStatus).toBe('dirty');
    store.getState().setSave({ saveStatus: 'conflict' });
    store.getState().setMeta({ name: 'Two' });
    expect(store.getState().saveStatus).toBe('conflict');
  });

  it('records what the server saved', () => {
    const store = storeWithTemplate();
    store.getState().setMeta({ name: 'One' });
    store.getState().setSave({ etag: '"2"', savedRevision: store.getState().revision, saveStatus: 'saved' });
    expect(store.getState()).toMatchObject({ etag: '"2"', savedRevision: 1, saveStatus: 'saved' });
  });
});
