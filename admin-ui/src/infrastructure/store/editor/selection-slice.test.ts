import { describe, expect, it } from 'vitest';
import { ids, storeWithTemplate } from './test-store';

const selected = (nodes: { id: string; selected?: boolean }[]) =>
  nodes.filter((node) => node.selected).map((node) => node.id);

describe('selection slice', () => {
  it('selects one node, deselecting the others and every edge', () => {
    const store = storeWithTemplate();
    store.getState().select('n1');
    store
      .getState()
      .onEdgesChange([{ type: 'select', id: store.getState().edges[0]?.id ?? '', selected: true }]);
    store.getState().select('n2');
    expect(selected(store.getState().nodes)).toEqual(['n2']);
    expect(store.getState().edges.some((edge) => edge.selected)).toBe(false);
    expect(store.getState().focus).toBeNull();
    store.getState().select('n3', true);
    expect(store.getState().focus).toMatchObject({ nodeId: 'n3' });
    store.getState().select(null);
    expect(selected(store.getState().nodes)).toEqual([]);
  });

  it('selecting is not an edit', () => {
    const store = storeWithTemplate();
    store.getState().select('n1');
    expect(store.getState().revision).toBe(0);
    expect(store.getState().saveStatus).toBe('saved');
  });

  it('copies the selection and pastes copies that cascade, each paste one undo step', () => {
    const store = storeWithTemplate();
    expect(store.getState().copy()).toBe(0);
    store.getState().select('n2');
    expect(store.getState().copy()).toBe(1);
    const before = ids(store.getState().nodes);
    expect(store.getState().paste()).toBe(1);
    expect(store.getState().paste()).toBe(1);
    const copies = store.getState().nodes.filter((node) => !before.includes(node.id));
    expect(copies).toHaveLength(2);
    const [first, second] = copies.map((node) => node.position);
    expect(second).toEqual({ x: (first?.x ?? 0) + 40, y: (first?.y ?? 0) + 40 });
    expect(store.getState().past).toHaveLength(2);
  });

  it('does not paste into a read-only flow', () => {
    const store = storeWithTemplate();
    store.getState().select('n2');
    store.getState().copy();
    store.getState().setReadOnly(true);
    expect(store.getState().paste()).toBe(0);
  });
});
