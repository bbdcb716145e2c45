import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi, waitFor } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

describe('a released hand-off no longer waits for a person', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  it('ends the hand-off when the runtime takes the release, and leaves it out of the waiting list and figure', async () => {
    const flow = await editor.call('post', '/flows', { name: 'Support', definition: handoffFlow() });
    const session = await editor.call('post', '/simulator/sessions', { flowId: flow.body.id });
    expect(session.status).toBe(201);
    const sessionId = session.body.id as string;
    const said = await editor.call('post', `/simulator/sessions/${sessionId}/messages`, { text: 'help' });
    expect(said.body).toMatchObject({ status: 'handoff' });

    const waiting = async () =>
      (
        await editor.call('get', `/conversations?includeTest=true&status=handoff&numberId=${sessionId}`)
      ).body.items.map((c: { id: string }) => c.id);
    const [conversationId] = await waiting();
    expect(conversationId).toEqual(expect.any(String));
    expect((await editor.call('get', `/conversations/${conversationId}`)).body.releasedAt).toBeNull();
    const handoffs = async () => {
      const analytics = await editor.call('get', `/flows/${flow.body.id}/analytics?includeTest=true`);
      expect(analytics.status).toBe(200);
      const { handoff, handoffReleased } = analytics.body.byStatus;
      return { starts: analytics.body.starts, handoff, handoffReleased };
    };
    expect(await handoffs()).toEqual({ starts: 1, handoff: 1, handoffReleased: 0 });

    expect((await editor.call('post', `/conversations/${conversationId}/release`)).status).toBe(202);
    // The runtime takes the release from its inbox; the conversation then records when.
    const released = await waitFor(async () => {
      const detail = (await editor.call('get', `/conversations/${conversationId}`)).body;
      return detail.releasedAt === null ? undefined : detail;
    });
    expect(released).toMatchObject({ status: 'handoff', releasedAt: expect.any(String) });
    expect(await waiting()).toEqual([]);
    // Analytics no longer counts it as waiting for a person, but still counts it.
    expect(await handoffs()).toEqual({ starts: 1, handoff: 0, handoffReleased: 1 });
    // Still listed without the filter: released, not deleted.
    const all = await editor.call('get', `/conversations?includeTest=true&numberId=${sessionId}`);
    expect(all.body.items.map((c: { id: string }) => c.id)).toEqual([conversationId]);

    const again = await editor.call('post', `/conversations/${conversationId}/release`);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'This hand-off was already released: the bot answers this contact again.',
    );
  });
});
