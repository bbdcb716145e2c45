import type { TestRun } from '@parley/contract';
import { CheckCircle2, XCircle } from 'lucide-react';

/** Each test of a run: passed, or what the bot said instead of what the test expected. */
export function TestResults({ run }: { run: TestRun }) {
  return (
    <ul aria-label="Test results" className="flex flex-col gap-2">
      {run.results.map((result) => (
        <li key={result.testId} className="rounded-md border px-3 py-2 text-sm" data-testid="test-result">
          <p className="flex items-center gap-2 font-medium">
            {result.passed ? (
              <CheckCircle2 className="size-4 text-emerald-600" aria-hidden />
            ) : (
              <XCircle className="size-4 text-red-600" aria-hidden />
            )}
            {result.name}
            <span className={result.passed ? 'text-emerald-700' : 'text-red-700'}>
              {result.passed ? 'passed' : 'failed'}
            </span>
          </p>
          {!result.passed && (
            <pre className="mt-1.5 overflow-x-auto whitespace-pre-wrap rounded bg-muted px-2 py-1.5 text-xs leading-relaxed">
              {result.differences.join('\n')}
            </pre>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "2 of 3 tests passed", or that all did. */
export function runSummary(run: TestRun): string {
  const passed = run.results.filter((result) => result.passed).length;
  const total = run.results.length;
  if (passed === total) return total === 1 ? 'The test passed' : `All ${total} tests passed`;
  return `${total - passed} of ${total} ${total === 1 ? 'test' : 'tests'} failed`;
}
