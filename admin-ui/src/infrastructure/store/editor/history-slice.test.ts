import { afterEach, describe, expect, it, vi } from 'vitest';
import { ids, storeWithTemplate } from './test-store';

afterEach(() => {
  vi.useRealTimers();
});

describe('history slice', () => {
  it('undoes and redoes an edit', () => {
    const store = storeWithTemplate();
    const original = ids(store.getState().nodes);
    const id = store.getState().addNode('end', { x: 0, y: 0 });
    store.getState().undo();
    expect(ids(store.getState().nodes)).toEqual(original);
    expect(store.getState().future).toHaveLength(1);
    store.getState().redo();
    expect(ids(store.getState().nodes)).toContain(id);
    expect(store.getState().past).toHaveLength(1);
  });

  it('makes typing in one field one step, and another field or a pause a new one', () => {
    vi.useFakeTimers();
    const store = storeWithTemplate();
    store.getState().setMeta({ name: 'A' }, 'name');
    store.getState().setMeta({ name: 'AB' }, 'name');
    store.getState().setMeta({ name: 'ABC' }, 'name');
    expect(store.getState().past).toHaveLength(1);
    store.getState().setMeta({ name: 'ABC', settings: {} }, 'settings');
    expect(store.getState().past).toHaveLength(2);
    store.getState().setMeta({ name: 'ABCD', settings: {} }, 'name');
    vi.advanceTimersByTime(1_000);
    store.getState().setMeta({ name: 'ABCDE', settings: {} }, 'name');
    expect(store.getState().past).toHaveLength(3);
    vi.advanceTimersByTime(2_000);
    store.getState().setMeta({ name: 'ABCDEF', settings: {} }, 'name');
    expect(store.getState().past).toHaveLength(4);
  });

  it('records a drag as one step, from where it started', () => {
    const store = storeWithTemplate();
    const start = store.getState().nodes.find((node) => node.id === 'n1')?.position;
    for (const x of [10, 20, 30])
      store.getState().onNodesChange([{ type: 'position', id: 'n1', position: { x, y: 0 }, dragging: true }]);
    expect(store.getState().past).toHaveLength(0);
    store
      .getState()
      .onNodesChange([{ type: 'position', id: 'n1', position: { x: 40, y: 0 }, dragging: false }]);
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().nodes.find((node) => node.id === 'n1')?.position).toEqual(start);
  });

  it('keeps what is selected now when undoing', () => {
    const store = storeWithTemplate();
    store.getState().applyPositions(new Map([['n1', { x: 5, y: 5 }]]));
    store.getState().select('n2');
    store.getState().undo();
    expect(
      store
        .getState()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    ).toEqual(['n2']);
  });

  it('keeps the last 100 steps, and a new edit clears redo', () => {
    const store = storeWithTemplate();
    for (let x = 0; x < 105; x++) store.getState().applyPositions(new Map([['n1', { x, y: 0 }]]));
    expect(store.getState().past).toHaveLength(100);
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().applyPositions(new Map([['n1', { x: -1, y: 0 }]]));
    expect(store.getState().future).toEqual([]);
  });

  it('does not undo in a read-only flow', () => {
    const store = storeWithTemplate();
    store.getState().deleteNode('n1');
    store.getState().setReadOnly(true);
    store.getState().undo();
    expect(ids(store.getState().nodes)).not.toContain('n1');
  });
});
