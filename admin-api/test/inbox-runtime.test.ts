import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handoffFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

/**
 * The inbox end to end: a live-test contact is handed off, an agent finds it in the inbox, answers
 * through the API, the runtime sends the answer on the contact's channel, and the agent hands the
 * conversation back to the bot at a block. Nothing here writes to the database behind the API.
 */
describe('the inbox through the API and a real runtime', () => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;
  let agent: Client;

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus);
    editor = await api.member('editor');
    agent = await api.member('agent');
  });

  afterAll(async () => {
    await runtime?.stop();
    await api?.close();
  });

  async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('hands a live-test contact to an agent, carries the reply to the contact, and hands back to the bot', async () => {
    const flow = await editor.call('post', '/flows', { name: 'Support', definition: handoffFlow() });
    expect(flow.status).toBe(201);
    const session = await editor.call('post', '/simulator/sessions', { flowId: flow.body.id });
    expect(session.status).toBe(201);
    const sessionId = session.body.id as string;
    const say = async (text: string) => {
      const reply = await editor.call('post', `/simulator/sessions/${sessionId}/messages`, { text });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body as { messages: { text: string }[]; status: string };
    };

    const handedOff = await say('help');
    expect(handedOff.status).toBe('handoff');
    expect(handedOff.messages.map((message) => message.text)).toEqual(['A human will take over.']);

    // The agent finds it waiting, marked as a test.
    const waiting = await agent.call('get', '/inbox?view=waiting');
    expect(waiting.status).toBe(200);
    const item = waiting.body.items.find((entry: { isTest: boolean }) => entry.isTest);
    expect(item).toMatchObject({ isTest: true, assignedTo: null, flowName: 'Support' });
    const conversationId = item.id as string;

    const sent = await agent.call('post', `/conversations/${conversationId}/messages`, {
      text: 'Hi, I am here to help.',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);

    // The runtime sends it on the live test's channel: the contact's transcript shows it.
    await until('the contact has the agent’s reply', async () => {
      const view = await editor.call('get', `/simulator/sessions/${sessionId}`);
      const texts = (view.body.messages as { direction: string; text: string }[])
        .filter((message) => message.direction === 'out')
        .map((message) => message.text);
      return texts.includes('Hi, I am here to help.') ? texts : undefined;
    });
    // The transcript names the agent and says the message was delivered; sending took it.
    const detail = await until('the reply is delivered', async () => {
      const read = await agent.call('get', `/conversations/${conversationId}`);
      const reply = read.body.messages.find(
        (message: { body: { text?: string } }) => message.body.text === 'Hi, I am here to help.',
      );
      return reply?.status === 'delivered' ? read.body : undefined;
    });
    const agentName = detail.assignedTo?.name as string;
    expect(detail.assignedTo).not.toBeNull();
    expect(detail.firstAgentReplyAt).not.toBeNull();
    expect(detail.messages.find((message: { agent: unknown }) => message.agent !== null)?.agent?.name).toBe(
      agentName,
    );
    expect(detail.messages.some((message: { type: string }) => message.type === 'control')).toBe(false);

    // The contact answers: the bot stays silent; what the contact wrote is unread until read.
    const during = await say('Thank you!');
    expect(during.messages).toEqual([]);
    const mine = await until('the contact’s answer is unread', async () => {
      const list = await agent.call('get', '/inbox?view=mine');
      const entry = list.body.items.find((entry: { id: string }) => entry.id === conversationId);
      return entry?.unread === 2 ? entry : undefined;
    });
    expect(mine.lastMessage).toMatchObject({ text: 'Thank you!', direction: 'in' });
    const latest = (await agent.call('get', `/conversations/${conversationId}`)).body.messages.at(-1);
    expect(latest.body.text).toBe('Thank you!');
    const read = await agent.call('post', `/conversations/${conversationId}/read`, { messageId: latest.id });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect((await agent.call('get', '/inbox/summary')).body.unread).toBe(0);

    // Handed back to the bot at a block: the flow goes on from there.
    const resumed = await agent.call('post', `/conversations/${conversationId}/resume`, { nodeId: 'm1' });
    expect(resumed.status, JSON.stringify(resumed.body)).toBeLessThan(300);
    const after = await until('the bot answers again', async () => {
      const view = await editor.call('get', `/simulator/sessions/${sessionId}`);
      const texts = (view.body.messages as { text: string }[]).map((message) => message.text);
      return texts.includes('Bye.') ? view.body : undefined;
    });
    expect(after.status).toBe('completed');
    expect((after.messages as { text: string }[]).map((message) => message.text).slice(-2)).toEqual([
      'Hello again!',
      'Bye.',
    ]);
    const gone = await agent.call('get', '/inbox?view=all');
    expect(gone.body.items.map((entry: { id: string }) => entry.id)).not.toContain(conversationId);
  });
});
