import type { ValidationOptions } from '@parley/schemas';
import { type LocatedProblem, problemsByNode } from '@/core/canvas';
import type { SetEditor } from './editor-state';

export interface ProblemsSlice {
  problems: LocatedProblem[];
  problemsByNode: Map<string, LocatedProblem[]>;
  setProblems: (problems: LocatedProblem[]) => void;
  /**
   * What the deployment allows, which the checks follow (the API's GET /policy). Until it is known,
   * private addresses count as refused: a warning too many beats a request failing unexplained.
   */
  validation: ValidationOptions;
  setValidation: (validation: ValidationOptions) => void;
}

export function createProblemsSlice(set: SetEditor): ProblemsSlice {
  return {
    problems: [],
    problemsByNode: new Map(),
    setProblems: (problems) => set({ problems, problemsByNode: problemsByNode(problems) }),
    validation: { allowPrivateHttp: false },
    setValidation: (validation) => set({ validation }),
  };
}
