import { type LocatedProblem, problemsByNode } from '@/core/canvas';
import type { SetEditor } from './editor-state';

export interface ProblemsSlice {
  problems: LocatedProblem[];
  problemsByNode: Map<string, LocatedProblem[]>;
  setProblems: (problems: LocatedProblem[]) => void;
}

export function createProblemsSlice(set: SetEditor): ProblemsSlice {
  return {
    problems: [],
    problemsByNode: new Map(),
    setProblems: (problems) => set({ problems, problemsByNode: problemsByNode(problems) }),
  };
}
