/** Request and response schemas of a flow's conversation tests (/flows/{id}/tests, /test-runs). */
import { ScenarioContact, ScenarioResult, ScenarioTurn } from '@parley/schemas/scenario';
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp, Uuid, VersionNumber } from './common.js';
import { literalUnion } from './enums.js';

export const FlowTestParams = Type.Object({ id: Uuid, testId: Uuid });

const testFields = {
  name: Type.String({ minLength: 1, maxLength: 200, description: 'What the test checks, in a few words' }),
  contact: Type.Optional(ScenarioContact),
  turns: Type.Array(ScenarioTurn, { minItems: 1, maxItems: 200 }),
  result: ScenarioResult,
};

/**
 * A conversation test as saved or imported: a `parley test` scenario file is accepted as it is. Its
 * `flow` and `about` are ignored (the test runs against this flow); `startAt` is refused, since a
 * test runs at the current time, and `modelScript`, since a test's AI blocks call the workspace's
 * providers.
 */
export const FlowTestBody = Type.Object(
  {
    ...testFields,
    flow: Type.Optional(
      Type.Object(
        {},
        { additionalProperties: true, description: 'Ignored: the test runs against this flow' },
      ),
    ),
    about: Type.Optional(Type.String({ maxLength: 2000, description: 'Ignored' })),
    startAt: Type.Optional(
      Type.String({ maxLength: 100, description: 'Refused: a conversation test runs at the current time' }),
    ),
    modelScript: Type.Optional(
      Type.Unknown({
        description: 'Refused: a conversation test’s AI blocks call the workspace’s AI providers',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FlowTestBody = Static<typeof FlowTestBody>;

export const FlowTest = Type.Object({ id: Uuid, ...testFields, updatedAt: Timestamp });
export type FlowTest = Static<typeof FlowTest>;

export const FlowTestSettings = Type.Object(
  {
    mustPassToPublish: Type.Boolean({
      description: 'Publishing runs the draft’s tests first; a failure refuses it',
    }),
    everyMinutes: Nullable(
      Type.Integer({
        minimum: 5,
        maximum: 10_080,
        description: 'Runs the published version’s tests this often; null is off',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FlowTestSettings = Static<typeof FlowTestSettings>;

export const FlowTests = Type.Object({ tests: Type.Array(FlowTest), settings: FlowTestSettings });
export type FlowTests = Static<typeof FlowTests>;

export const TEST_RUN_REASONS = ['manual', 'schedule', 'publish'] as const;
export const TestRunReason = literalUnion(TEST_RUN_REASONS, {
  description: 'manual: someone ran them; schedule: the flow’s schedule; publish: a gated publish',
});

export const TestOutcome = Type.Object({
  testId: Uuid,
  name: Type.String(),
  passed: Type.Boolean(),
  differences: Type.Array(Type.String(), {
    description: 'What differed, one line each (the `parley test` diff), or why the test could not run',
  }),
});
export type TestOutcome = Static<typeof TestOutcome>;

export const TestRun = Type.Object({
  id: Uuid,
  version: Type.Union([VersionNumber, Type.Literal('draft')]),
  reason: TestRunReason,
  passed: Type.Boolean(),
  results: Type.Array(TestOutcome),
  startedAt: Timestamp,
  finishedAt: Timestamp,
});
export type TestRun = Static<typeof TestRun>;

export const TestRuns = Type.Object({ runs: Type.Array(TestRun) });

export const RunTestsBody = Type.Object(
  {
    version: Type.Optional(
      Type.Union([VersionNumber, Type.Literal('draft')], {
        description: 'The draft (by default) or a published version',
      }),
    ),
  },
  { additionalProperties: false },
);
