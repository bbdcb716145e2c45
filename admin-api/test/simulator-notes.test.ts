import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RuntimeService } from '@parley/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFlow } from './support/flows.js';
import { type Client, startTestApi, type TestApi } from './support/test-api.js';
import { startTestRuntime } from './support/test-runtime.js';

/** The live test explains, between the replies, why a request took Failure. */
describe.each([
  { allowPrivateHttp: true, case: 'a service answering 500' },
  { allowPrivateHttp: false, case: 'a private address the runtime refuses' },
])('simulator notes: $case', ({ allowPrivateHttp }) => {
  let api: TestApi;
  let runtime: RuntimeService;
  let editor: Client;
  let failing: Server;

  beforeAll(async () => {
    api = await startTestApi();
    runtime = await startTestRuntime(api.db, api.bus, { allowPrivateHttp });
    editor = await api.member('editor');
    failing = createServer((request, response) => {
      request.resume();
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('broken');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    await runtime?.stop();
    await new Promise((resolve) => failing?.close(resolve));
    await api?.close();
  });

  async function sayCrm(url: string) {
    const created = await editor.call('post', '/flows', { name: 'CRM', definition: httpFlow(url) });
    expect(created.status).toBe(201);
    const session = await editor.call('post', '/simulator/sessions', { flowId: created.body.id });
    expect(session.status).toBe(201);
    const reply = await editor.call('post', `/simulator/sessions/${session.body.id}/messages`, {
      text: 'crm',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return reply.body;
  }

  it('returns the note with the reply', async () => {
    if (allowPrivateHttp) {
      const reply = await sayCrm(`http://127.0.0.1:${(failing.address() as AddressInfo).port}/leads`);
      expect(reply.messages).toEqual([{ text: 'The CRM failed (500).' }]);
      expect(reply.notes).toEqual([
        {
          kind: 'http_failed',
          nodeId: 'r1',
          after: 0,
          text: expect.stringMatching(
            /^HTTP request “.+” did not work\. The service answered with status 500: the service had a problem of its own\. The flow went on by “Failure”\.$/,
          ),
        },
      ]);
    } else {
      // An IP literal is refused before any packet is sent.
      const reply = await sayCrm('http://10.0.0.5/leads');
      expect(reply.messages).toEqual([{ text: 'The CRM failed (0).' }]);
      expect(reply.notes).toEqual([
        {
          kind: 'http_failed',
          nodeId: 'r1',
          after: 0,
          text: expect.stringContaining(
            'did not work. The request to 10.0.0.5 was refused: Parley does not call private network addresses. The flow went on by “Failure”.',
          ),
        },
      ]);
    }
  });
});
