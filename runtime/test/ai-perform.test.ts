import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AiSdkGateway, type ProviderConfig } from '@parley/ai';
import { fetchFor } from '@parley/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AiStandin, startAiStandin } from '../../test/support/ai-standin.js';
import { type AiCall, performAiCall } from '../src/ai/perform-ai-call.js';
import { performHttpRequest } from '../src/http/index.js';

/** A clinic's booking service: what the model's tool calls reach. */
interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let standin: AiStandin;
let service: Server;
let serviceUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  standin = await startAiStandin();
  service = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ free: ['10:00', '11:30'] }));
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await standin.close();
  await new Promise((resolve) => service.close(resolve));
});

beforeEach(() => {
  received.length = 0;
});

function call(method: 'GET' | 'POST'): AiCall {
  return {
    purpose: 'reply',
    credentialId: 'c1',
    model: 'gpt-4o-mini',
    system: 'You book visits.',
    messages: [{ role: 'user', text: 'Anything free on Monday?' }],
    tools: [
      {
        name: 'free_slots',
        description: 'Free times on a day',
        method,
        url: `${serviceUrl}/slots?clinic=north`,
        parameters: {
          type: 'object',
          properties: { date: { type: 'string' } },
          required: ['date'],
          additionalProperties: false,
        },
      },
    ],
    headers: { authorization: 'Bearer clinic-key' },
    maxOutputTokens: 500,
    timeoutMs: 20_000,
  };
}

function deps(allowPrivate: boolean) {
  const provider: ProviderConfig = {
    kind: 'openai',
    apiKey: standin.apiKey,
    baseUrl: standin.baseUrl('openai'),
  };
  return {
    gateway: new AiSdkGateway({ fetch: fetchFor(true) }),
    provider,
    runTool: (request: Parameters<typeof performHttpRequest>[0]) =>
      performHttpRequest(request, { allowPrivate, signingSecret: 'workspace-secret' }),
  };
}

describe('an AI reply calling the admin’s web service through the real provider library', () => {
  it.each(['POST', 'GET'] as const)(
    'sends the model’s arguments (%s) to the admin’s address, signed, and the answer back to the model',
    async (method) => {
      standin.script(
        { reply: { toolCalls: [{ name: 'free_slots', arguments: { date: '2026-12-07' } }] } },
        { reply: { text: 'Monday has 10:00 and 11:30 free.' } },
      );
      const outcome = await performAiCall(call(method), deps(true));
      expect(outcome).toMatchObject({
        ok: true,
        text: 'Monday has 10:00 and 11:30 free.',
        toolCalls: [
          {
            name: 'free_slots',
            arguments: { date: '2026-12-07' },
            status: 200,
            result: { free: ['10:00', '11:30'] },
          },
        ],
      });
      expect(received).toHaveLength(1);
      const request = received[0] as Received;
      expect(request.method).toBe(method);
      expect(request.headers.authorization).toBe('Bearer clinic-key');
      expect(request.headers['x-parley-signature']).toMatch(/.+/);
      if (method === 'POST') {
        expect(request.url).toBe('/slots?clinic=north');
        expect(JSON.parse(request.body)).toEqual({ date: '2026-12-07' });
      } else {
        expect(request.url).toBe('/slots?clinic=north&date=2026-12-07');
      }
      // The second model request carries the service's answer as the tool's result.
      const second = JSON.stringify(standin.requests.at(-1)?.body);
      expect(second).toContain('"role":"tool"');
      expect(second).toContain('11:30');
    },
  );

  it('cannot reach a private address when the server refuses those, whatever the model asks', async () => {
    standin.script(
      { reply: { toolCalls: [{ name: 'free_slots', arguments: { date: '2026-12-07' } }] } },
      { reply: { text: 'I could not check the calendar, sorry.' } },
    );
    const outcome = await performAiCall(call('POST'), deps(false));
    expect(received).toHaveLength(0);
    expect(outcome.toolCalls[0]).toMatchObject({ name: 'free_slots', status: 0 });
    expect(JSON.stringify(outcome.toolCalls[0]?.result)).toMatch(/private|local|not allowed/i);
  });

  it('refuses arguments that break the parameters before any request is made', async () => {
    standin.script(
      {
        reply: {
          toolCalls: [{ name: 'free_slots', arguments: { date: 7, url: 'http://169.254.169.254/' } }],
        },
      },
      { reply: { text: 'Which day do you mean?' } },
    );
    const outcome = await performAiCall(call('POST'), deps(true));
    expect(received).toHaveLength(0);
    expect(outcome.toolCalls[0]?.refused).toMatch(/do not match the tool's parameters/);
    expect(outcome).toMatchObject({ ok: true, text: 'Which day do you mean?' });
  });

  it('reads a photo with a model that sees images, keeping only values that meet their schema', async () => {
    standin.script({ reply: { json: { plate: 'AB-123', colour: 42 } } });
    const outcome = await performAiCall(
      {
        purpose: 'extract',
        credentialId: 'c1',
        model: 'gpt-4o',
        system: 'Read the photo.',
        messages: [{ role: 'user', text: '(The contact sent only the photo.)' }],
        image: { url: `${standin.url}/files/photo.png`, mimeType: 'image/png' },
        output: {
          schema: {
            type: 'object',
            properties: {
              plate: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] },
              colour: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'null' }] },
            },
            required: ['plate', 'colour'],
            additionalProperties: false,
          },
        },
        maxOutputTokens: 200,
        timeoutMs: 20_000,
      },
      deps(true),
    );
    expect(outcome).toMatchObject({
      ok: true,
      output: { plate: 'AB-123' },
      refused: { colour: 'the model gave “42”, but it must be text' },
    });
    expect(JSON.stringify(standin.requests.at(-1)?.body)).toContain('image');
  });
});
