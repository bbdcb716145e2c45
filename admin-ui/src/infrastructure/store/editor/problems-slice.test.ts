import { describe, expect, it } from 'vitest';
import type { LocatedProblem } from '@/core/canvas';
import { createEditorStore } from '../editor-store';

const problem = (nodeId: string | null, severity: 'error' | 'warning', message: string): LocatedProblem => ({
  pointer: '/nodes/0',
  message,
  severity,
  nodeId,
  block: null,
  where: '',
});

describe('problems slice', () => {
  it('keeps the problems, and per node with errors first; flow-wide ones are on no node', () => {
    const store = createEditorStore();
    const problems = [
      problem('n1', 'warning', 'w1'),
      problem('n1', 'error', 'e1'),
      problem('n2', 'error', 'e2'),
      problem(null, 'error', 'flow'),
    ];
    store.getState().setProblems(problems);
    expect(store.getState().problems).toBe(problems);
    expect(
      store
        .getState()
        .problemsByNode.get('n1')
        ?.map((p) => p.message),
    ).toEqual(['e1', 'w1']);
    expect(
      store
        .getState()
        .problemsByNode.get('n2')
        ?.map((p) => p.message),
    ).toEqual(['e2']);
    expect([...store.getState().problemsByNode.keys()].sort()).toEqual(['n1', 'n2']);
  });
});
