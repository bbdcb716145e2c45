/**
 * AI flows through the built CLI (`npm run build` first): `parley simulate --model-script` and
 * `parley test` scenarios with a `modelScript`, and every way a script can be missing or wrong.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCENARIOS = fileURLToPath(new URL('./scenarios/', import.meta.url));
const BIN = fileURLToPath(new URL('../../cli/bin/parley.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'parley-cli-model-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function parley(args: string[], input = '', env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    env: { ...process.env, PARLEY_ALLOW_PRIVATE_HTTP: '', ...env },
  });
  if (result.error) throw result.error;
  return result;
}

type Json = Record<string, unknown>;
const scenario = (name: string): Json => JSON.parse(readFileSync(join(SCENARIOS, `${name}.json`), 'utf8'));

function writeTemp(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const jsonLines = (text: string) => lines(text).map((line) => JSON.parse(line));

describe('parley simulate with a model script', () => {
  const classify = scenario('ai-classify');
  const flowPath = writeTemp('front-desk.flow.json', classify.flow);
  const scriptPath = writeTemp('front-desk.model.json', classify.modelScript);

  it('answers the AI blocks from the script', () => {
    const result = parley(['simulate', flowPath, '--model-script', scriptPath], 'I need an appointment\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout)).toStrictEqual([
      { type: 'user', text: 'I need an appointment' },
      { type: 'message', text: "Let's book a visit (Booking)." },
      {
        type: 'result',
        status: 'completed',
        answers: { topic: 'Booking' },
        variables: { topic: 'Booking' },
      },
    ]);
  });

  it('prints why an AI block failed as a note between the messages', () => {
    const outage = scenario('ai-provider-error');
    const result = parley(
      [
        'simulate',
        writeTemp('outage.flow.json', outage.flow),
        '--model-script',
        writeTemp('outage.model.json', outage.modelScript),
      ],
      'Hello\n',
    );
    expect(result.status).toBe(0);
    const out = jsonLines(result.stdout);
    expect(out.map((line) => line.type)).toEqual([
      'user',
      'note',
      'message',
      'note',
      'message',
      'note',
      'message',
      'result',
    ]);
    expect(out[1]).toMatchObject({ kind: 'ai_failed', text: expect.stringContaining('did not work') });
    expect(out[1].text).toContain('The scripted model failed as asked (rate_limited)');
  });

  it('calls an AI reply’s tool for real, and notes the arguments and the answer', async () => {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ free: ['10:00'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const booking = scenario('ai-reply-tool');
      const flow = writeTemp(
        'booking.flow.json',
        JSON.stringify(booking.flow).replaceAll('__PORT__', String(port)),
      );
      const script = writeTemp('booking.model.json', booking.modelScript);
      const input = 'Hello\nMonday, if you can\nyes please\n';
      // Asynchronous: the tool's server answers from this process.
      const run = (env: Record<string, string>) =>
        new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
          const child = spawn(process.execPath, [BIN, 'simulate', flow, '--model-script', script], {
            env: { ...process.env, PARLEY_ALLOW_PRIVATE_HTTP: '', ...env },
          });
          let stdout = '';
          child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString('utf8');
          });
          child.on('error', reject);
          child.on('close', (code) => resolve({ code, stdout }));
          child.stdin.end(input);
        });

      const allowed = await run({ PARLEY_ALLOW_PRIVATE_HTTP: '1' });
      expect(allowed.code).toBe(0);
      expect(seen).toEqual(['/echo?clinic=lisbon&day=monday']);
      const notes = jsonLines(allowed.stdout).filter((line) => line.type === 'note');
      expect(notes).toEqual([
        {
          type: 'note',
          kind: 'ai_tool_call',
          text: 'AI reply “Book a visit” called “free_slots” with {"day":"monday"}; the service answered 200: {"free":["10:00"]}.',
        },
        {
          type: 'note',
          kind: 'ai_tool_call',
          text: 'AI reply “Book a visit” called “save_variables” with {"slot":"Monday 10:00"}.',
        },
        { type: 'note', kind: 'ai_tool_call', text: 'AI reply “Book a visit” called “finish” with {}.' },
      ]);
      expect(jsonLines(allowed.stdout).at(-1)).toStrictEqual({
        type: 'result',
        status: 'completed',
        answers: { slot: 'Monday 10:00' },
        variables: { slot: 'Monday 10:00' },
      });

      // A private address is refused as an HTTP request block's would be: the service never hears of it.
      const guarded = await run({});
      expect(guarded.code).toBe(0);
      expect(seen).toHaveLength(1);
      expect(jsonLines(guarded.stdout).find((line) => line.type === 'note').text).toMatch(
        /^AI reply “Book a visit” called “free_slots” with \{"day":"monday"\}; the call did not go through: The request to 127\.0\.0\.1 was refused: Parley does not call private network addresses/,
      );
    } finally {
      server.close();
    }
  });

  it('refuses a flow with an AI block and no script, naming the block', () => {
    const result = parley(['simulate', flowPath], 'hi\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([
      `parley: ${flowPath}: The flow has an AI block (AI route “What do they want”), which needs a model to answer; give a model script with --model-script FILE.json.`,
    ]);
  });

  it('names the file of a missing script, and the place of a script that breaks the format', () => {
    const missing = parley(['simulate', flowPath, '--model-script', join(tmp, 'nope.json')], 'hi\n');
    expect(missing.status).toBe(1);
    expect(lines(missing.stderr)).toEqual([
      `parley: ${join(tmp, 'nope.json')}: cannot read the file (no such file)`,
    ]);

    const typo = writeTemp('typo.model.json', { replies: [{ reply: { txt: 'Hello' } }] });
    const wrong = parley(['simulate', flowPath, '--model-script', typo], 'hi\n');
    expect(wrong.status).toBe(1);
    expect(lines(wrong.stderr)).toHaveLength(1);
    expect(wrong.stderr).toMatch(
      /^parley: .*typo\.model\.json is not a valid model script: \/replies\/0\/reply/,
    );
    expect(wrong.stderr).toContain('docs/flow-format.md');
    expect(wrong.stdout).toBe('');
  });

  it('stops at a request the script has no reply for, naming the input line and the block', () => {
    const partial = writeTemp('partial.model.json', {
      replies: [{ when: { lastMessageContains: 'appointment' }, reply: { output: { category: 'Booking' } } }],
    });
    const result = parley(
      ['simulate', flowPath, '--model-script', partial],
      'I need an appointment\nhello\n',
    );
    expect(result.status).toBe(1);
    expect(jsonLines(result.stdout).map((line) => line.type)).toEqual(['user', 'message', 'user']);
    expect(lines(result.stderr)).toEqual([
      'parley: input line 2 ("hello"): AI route “What do they want”: The scripted model has no reply for the message “hello”. Add an entry that matches it to the model script, or a fallback.',
    ]);
  });

  it('documents --model-script in its help', () => {
    const result = parley(['simulate', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--model-script SCRIPT.json');
    expect(result.stdout).toContain('required when the flow has an AI block');
    expect(parley(['--help']).stdout).toContain('[--model-script SCRIPT.json]');
  });
});

describe('parley test with model scripts', () => {
  it('reads a modelScript path relative to the scenario file', () => {
    const classify = scenario('ai-classify');
    writeTemp('routes.model.json', classify.modelScript);
    const path = writeTemp('routes.json', { ...classify, modelScript: 'routes.model.json' });
    const result = parley(['test', path]);
    expect(result.stdout).toBe('✓ routes.json\n1 passed, 0 failed\n');
    expect(result.status).toBe(0);
  });

  it('shows what the AI blocks did under a turn that differs', () => {
    const outage = scenario('ai-provider-error');
    const turns = outage.turns as { user: string; bot: { text: string }[] }[];
    const path = writeTemp('outage-expected-ok.json', {
      ...outage,
      turns: [{ user: turns[0]?.user, bot: [{ text: 'Hello Ana!' }] }],
    });
    const result = parley(['test', path]);
    expect(result.status).toBe(1);
    const out = lines(result.stdout);
    expect(out.slice(0, 4)).toEqual([
      '✗ outage-expected-ok.json',
      '    turn 1 (user: "Hello, I am Ana"):',
      '      - expected: "Hello Ana!"',
      '      + actual:   "(extract failed)", "(route failed)", "Sorry, our assistant is not available. A person will write to you."',
    ]);
    expect(out.slice(4, 7)).toEqual([
      '      · AI extract “name” did not work. The scripted model failed as asked (rate_limited). The flow went on by “Not found”.',
      '      · AI route “Booking” did not work. The scripted model failed as asked (rate_limited). The flow went on by “Else”.',
      "      · AI reply “The contact's question is answered.” did not work. The scripted model failed as asked (rate_limited). The flow went on by “Failure”.",
    ]);
    expect(out.at(-1)).toBe('0 passed, 1 failed');
  });

  it('fails, with a reason each, a scenario without a script, with a missing or invalid one, or one with a gap', () => {
    const classify = scenario('ai-classify');
    const { modelScript: _script, ...scriptless } = classify;
    const files = [
      writeTemp('no-script.json', scriptless),
      writeTemp('missing-script.json', { ...classify, modelScript: 'missing.model.json' }),
      writeTemp('invalid-script.json', { ...classify, modelScript: { replies: [{ reply: { text: 1 } }] } }),
      writeTemp('number-script.json', { ...classify, modelScript: 5 }),
      writeTemp('gap.json', {
        ...classify,
        modelScript: {
          replies: [
            { when: { lastMessageContains: 'appointment' }, reply: { output: { category: 'Booking' } } },
          ],
        },
      }),
    ];
    const result = parley(['test', ...files]);
    expect(result.status).toBe(1);
    expect(lines(result.stdout)).toEqual([
      '✗ no-script.json',
      '    The flow has an AI block (AI route “What do they want”), which needs a model to answer; give the scenario a "modelScript" (the script, or the path of its file).',
      '✗ missing-script.json',
      `    its "modelScript" "missing.model.json" is unusable: ${join(tmp, 'missing.model.json')}: cannot read the file (no such file)`,
      '✗ invalid-script.json',
      expect.stringMatching(
        /^ {4}its "modelScript" is not a valid model script: \/replies\/0\/reply\/text: /,
      ),
      '✗ number-script.json',
      '    not a scenario: "modelScript" must be a model script (an object with "replies") or the path of its file',
      '✗ gap.json',
      '    turn 2 (user: "How much is a cleaning?"): AI route “What do they want”: The scripted model has no reply for the message “How much is a cleaning?”. Add an entry that matches it to the model script, or a fallback.',
      '0 passed, 5 failed',
    ]);
  });
});
