import {
  FlowTest,
  FlowTestBody,
  FlowTestParams,
  FlowTestSettings,
  FlowTests,
  IdParams,
  RunTestsBody,
  TestRun,
  TestRuns,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { ConversationTestsService } from './conversation-tests.service.js';

export function conversationTestRoutes(tests: ConversationTestsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/flows/{id}/tests',
      summary: 'A flow’s conversation tests, and whether they gate publishing and run on a schedule',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The tests and their settings', schema: FlowTests } },
      handler: async ({ caller, params }) => ({ status: 200, body: await tests.list(caller, params.id) }),
    }),
    route({
      method: 'post',
      path: '/flows/{id}/tests',
      summary: 'Add a conversation test (a `parley test` scenario file is accepted; its flow is ignored)',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      body: FlowTestBody,
      responses: {
        201: { description: 'The test', schema: FlowTest },
        422: { description: 'The test asks for what a conversation test cannot do (details.errors)' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 201,
        body: await tests.create(caller, params.id, body),
      }),
    }),
    route({
      method: 'put',
      path: '/flows/{id}/tests/{testId}',
      summary: 'Replace a conversation test',
      tag: 'flows',
      access: 'editor',
      params: FlowTestParams,
      body: FlowTestBody,
      responses: {
        200: { description: 'The test', schema: FlowTest },
        422: { description: 'The test asks for what a conversation test cannot do (details.errors)' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await tests.update(caller, params.id, params.testId, body),
      }),
    }),
    route({
      method: 'delete',
      path: '/flows/{id}/tests/{testId}',
      summary: 'Delete a conversation test',
      tag: 'flows',
      access: 'editor',
      params: FlowTestParams,
      responses: { 204: { description: 'Deleted' } },
      handler: async ({ caller, params }) => {
        await tests.remove(caller, params.id, params.testId);
        return { status: 204 };
      },
    }),
    route({
      method: 'put',
      path: '/flows/{id}/test-settings',
      summary: 'Make publishing wait for the tests, and run them on a schedule (every N minutes, or off)',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      body: FlowTestSettings,
      responses: { 200: { description: 'The settings', schema: FlowTestSettings } },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await tests.setSettings(caller, params.id, body),
      }),
    }),
    route({
      method: 'post',
      path: '/flows/{id}/tests/run',
      summary: 'Run the flow’s conversation tests now, on the draft or a version, through the runtime',
      description:
        'Each test plays in a live-test session (never on WhatsApp) and is compared turn by turn; the run is recorded.',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      body: RunTestsBody,
      responses: {
        200: { description: 'The run, with each test’s differences', schema: TestRun },
        422: { description: 'The flow has no tests, or the draft has errors' },
      },
      handler: async ({ caller, params, body }) => ({
        status: 200,
        body: await tests.run(caller, params.id, body.version ?? 'draft', 'manual'),
      }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}/test-runs',
      summary: 'The latest runs of a flow’s conversation tests, newest first',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The runs', schema: TestRuns } },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: { runs: await tests.runs(caller, params.id) },
      }),
    }),
  ];
}
