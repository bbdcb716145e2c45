import type { Problem } from '@parley/schemas';

/** `POINTER: message` for errors, `POINTER: warning: message` for warnings. */
export function problemLine(problem: Problem): string {
  return problem.severity === 'error'
    ? `${problem.pointer}: ${problem.message}`
    : `${problem.pointer}: warning: ${problem.message}`;
}
