/**
 * End-to-end through the built CLI (`npm run build` first): every conformance scenario via
 * `parley test`, and `parley simulate` / `parley validate` as flow authors call them.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUNTIME = fileURLToPath(new URL('..', import.meta.url));
const REPO = resolve(RUNTIME, '..');
const BIN = join(REPO, 'cli', 'bin', 'parley.js');
const OWN_SCENARIOS = join(RUNTIME, 'test', 'scenarios');

function parley(args: string[], input?: string): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    input: input ?? '',
    timeout: 60_000,
    env: { ...process.env, PARLEY_ALLOW_PRIVATE_HTTP: '' },
  });
  if (result.error) throw result.error;
  return result;
}

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));

let tmp: string;
beforeAll(() => {
  if (!existsSync(join(REPO, 'cli', 'dist', 'main.js'))) {
    throw new Error('The CLI is not built: run `npm run build` before these tests.');
  }
  tmp = mkdtempSync(join(tmpdir(), 'parley-cli-test-'));
});
afterAll(() => {
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
});

function writeTemp(name: string, content: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The flow of one of our scenario files, written out as a flow file for simulate/validate. */
function flowFile(scenario: string): string {
  const { flow } = JSON.parse(readFileSync(join(OWN_SCENARIOS, `${scenario}.json`), 'utf8'));
  return writeTemp(`${scenario}.flow.json`, flow);
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const jsonLines = (text: string) => lines(text).map((line) => JSON.parse(line));

describe('parley test', () => {
  it('passes every scenario in runtime/test/scenarios', () => {
    const files = jsonFiles(OWN_SCENARIOS);
    expect(files.length).toBeGreaterThanOrEqual(32);
    const result = parley(['test', ...files]);
    const out = lines(result.stdout);
    expect(out.filter((line) => !line.startsWith('✓ ')).join('\n')).toBe(`${files.length} passed, 0 failed`);
    expect(result.status).toBe(0);
  });

  it('fails a wrong scenario with exit 1 and a readable diff', () => {
    const scenario = JSON.parse(readFileSync(join(OWN_SCENARIOS, 'greeting.json'), 'utf8'));
    scenario.name = 'wrong-greeting';
    scenario.turns[1].bot[0].text = 'Hello Bob!';
    scenario.turns[2].bot = [];
    scenario.result = { status: 'failed', answers: { name: 'Zed' } };
    const wrong = writeTemp('wrong-greeting.json', scenario);
    const right = join(OWN_SCENARIOS, 'greeting.json');

    const result = parley(['test', right, wrong]);
    expect(result.status).toBe(1);
    expect(lines(result.stdout)).toEqual([
      '✓ greeting.json',
      '✗ wrong-greeting.json',
      '    turn 2 (user: "Hi "):',
      `      - expected: "Hello Bob!", "What's your name?"`,
      `      + actual:   "Hello Ana!", "What's your name?"`,
      '    turn 3 (user: "Bob"):',
      '      - expected: (silence)',
      '      + actual:   "Nice to meet you, Bob."',
      '    status: expected failed, got completed',
      '    answers: expected {"name":"Zed"}, got {"name":"Bob"}',
      '1 passed, 1 failed',
    ]);
  });

  it('shows expected choices in the diff', () => {
    const scenario = JSON.parse(readFileSync(join(OWN_SCENARIOS, 'choice-branch.json'), 'utf8'));
    scenario.turns[0].bot[0].choices = ['Pro', 'Basic'];
    const result = parley(['test', writeTemp('choices.json', scenario)]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('\n      - expected: "Pick a plan" [Pro | Basic]\n');
    expect(result.stdout).toContain('\n      + actual:   "Pick a plan" [Basic | Pro]\n');
  });

  it('reports a file that is not a scenario, or not JSON, as a failure without a stack trace', () => {
    const notScenario = writeTemp('not-a-scenario.json', { hello: 'world' });
    const notJson = writeTemp('broken.json', '{ "name": ');
    const result = parley(['test', notScenario, notJson]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('✗ not-a-scenario.json');
    expect(result.stdout).toContain('✗ broken.json');
    expect(lines(result.stdout).at(-1)).toBe('0 passed, 2 failed');
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('parley simulate', () => {
  it('prints user lines, bot messages with choices and the result as JSON lines', () => {
    const result = parley(['simulate', flowFile('choice-branch')], 'hey\nmaybe\n2\n');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const plan = [
      { id: 'c1', label: 'Basic', value: 'basic' },
      { id: 'c2', label: 'Pro', value: 'pro' },
    ];
    expect(jsonLines(result.stdout)).toStrictEqual([
      { type: 'user', text: 'hey' },
      { type: 'message', text: 'Pick a plan', choices: plan },
      { type: 'user', text: 'maybe' },
      { type: 'message', text: 'Please pick one of the options.' },
      { type: 'user', text: '2' },
      { type: 'message', text: 'Pro, great choice.' },
      { type: 'message', text: 'Done.' },
      { type: 'result', status: 'completed', answers: { plan: 'pro' }, variables: { plan: 'pro' } },
    ]);
    // One JSON document per line, with keys in the documented order.
    expect(lines(result.stdout)[1]).toBe(
      '{"type":"message","text":"Pick a plan","choices":[{"id":"c1","label":"Basic","value":"basic"},{"id":"c2","label":"Pro","value":"pro"}]}',
    );
  });

  it('fills contact templates from --contact-name and --contact-phone', () => {
    const result = parley(
      ['simulate', flowFile('extra-templates'), '--contact-name', 'Zoe', '--contact-phone', '+447700900123'],
      'hi\n',
    );
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout).slice(0, 2)).toStrictEqual([
      { type: 'user', text: 'hi' },
      { type: 'message', text: 'Hi Zoe (+447700900123), welcome to Template Tour.[][][]' },
    ]);
  });

  it('prints media beside the text, and "" as the text of a media-only message', () => {
    const result = parley(['simulate', flowFile('extra-message-media')], 'hi\n');
    expect(result.status).toBe(0);
    expect(jsonLines(result.stdout)).toStrictEqual([
      { type: 'user', text: 'hi' },
      {
        type: 'message',
        // No --contact-name: the name renders empty, in the text and in the caption.
        text: 'Here is our menu, .',
        media: { url: 'https://example.com/menu.jpg', kind: 'image', caption: 'Menu for ' },
      },
      { type: 'message', text: '', media: { url: 'https://example.com/prices.pdf', kind: 'document' } },
      { type: 'message', text: 'Anything else?' },
      { type: 'result', status: 'completed', answers: {}, variables: {} },
    ]);
  });

  it('plays #wait, #media and #location lines and ends with status none when nothing started', () => {
    const timers = parley(['simulate', flowFile('expiry')], 'hi\n#wait 31\n');
    expect(jsonLines(timers.stdout)).toStrictEqual([
      { type: 'user', text: 'hi' },
      { type: 'message', text: 'Your name?' },
      { type: 'user', text: '#wait 31' },
      { type: 'message', text: 'This chat has closed. Send a message to start again.' },
      { type: 'result', status: 'expired', answers: {}, variables: {} },
    ]);

    const place = parley(['simulate', flowFile('extra-location-answer')], 'hi\n#location 38.5 -9.25 Home\n');
    expect(jsonLines(place.stdout).at(-1)).toStrictEqual({
      type: 'result',
      status: 'completed',
      answers: { place: { lat: 38.5, lng: -9.25, name: 'Home' } },
      variables: { place: { lat: 38.5, lng: -9.25, name: 'Home' } },
    });

    const media = parley(['simulate', flowFile('extra-media-answer')], 'hi\n#media image/png r.png\n');
    expect(jsonLines(media.stdout).at(-2)).toStrictEqual({ type: 'message', text: 'Got r.png (image/png).' });

    const silent = parley(['simulate', flowFile('extra-no-match')], 'hello\n');
    expect(jsonLines(silent.stdout)).toStrictEqual([
      { type: 'user', text: 'hello' },
      { type: 'result', status: 'none', answers: {}, variables: {} },
    ]);
  });

  it('keeps variables that are not answers out of answers', () => {
    const result = parley(['simulate', flowFile('skip-and-set')], 'hi\nACME\n');
    expect(jsonLines(result.stdout).at(-1)).toStrictEqual({
      type: 'result',
      status: 'completed',
      answers: { company: 'ACME' },
      variables: { company: 'ACME', tag: 'ACME-lead' },
    });
  });

  it('refuses an invalid flow with its errors as POINTER: message lines and exit 1', () => {
    const invalid = writeTemp('invalid.json', {
      schemaVersion: 1,
      name: 'Broken',
      triggers: [{ id: 't1', type: 'any_message', target: 'nowhere' }],
      nodes: [
        { id: 'n1', type: 'question', config: { prompt: 'Name?' } },
        { id: 'n2', type: 'teleport', config: {} },
      ],
      edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n9' }],
    });
    const result = parley(['simulate', invalid], 'hi\n');
    expect(result.status).toBe(1);
    const out = lines(result.stdout);
    expect(out.length).toBeGreaterThan(0);
    for (const line of out) expect(line).toMatch(/^\/[^ ]*: (?!warning: )\S.*$/);
    expect(out.some((line) => line.startsWith('/nodes/0/config'))).toBe(true);
    expect(out.some((line) => line.startsWith('/nodes/1'))).toBe(true);
    // Nothing was simulated.
    expect(result.stdout).not.toContain('"type"');
  });

  it('reports a missing file or bad JSON in one line on stderr, exit 1, no stack trace', () => {
    const missing = parley(['simulate', join(tmp, 'does-not-exist.json')], 'hi\n');
    const badJson = parley(['simulate', writeTemp('bad.json', '{"schemaVersion": 1,')], 'hi\n');
    for (const result of [missing, badJson]) {
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(lines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^parley: /);
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    expect(missing.stderr).toContain('does-not-exist.json');
    expect(badJson.stderr).toMatch(/bad\.json: not valid JSON/);
  });
});

describe('parley validate', () => {
  const base = {
    schemaVersion: 1,
    name: 'Warnings only',
    triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
    nodes: [
      { id: 'n1', type: 'message', config: { text: 'Hi {{nickname}}' } },
      { id: 'n2', type: 'end', config: {} },
      { id: 'n3', type: 'end', config: { text: 'Never reached.' } },
    ],
    edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
  };

  it('prints POINTER: warning: message lines and exits 0 when there are only warnings', () => {
    const result = parley(['validate', writeTemp('warnings.json', base)]);
    expect(result.status).toBe(0);
    const out = lines(result.stdout);
    expect(out.length).toBeGreaterThanOrEqual(2);
    for (const line of out) expect(line).toMatch(/^\/\S*: warning: \S/);
    expect(out.some((line) => line.startsWith('/nodes/2: warning: '))).toBe(true);
    expect(
      out.some((line) => line.startsWith('/nodes/0/config/text: warning: ') && line.includes('nickname')),
    ).toBe(true);
  });

  it('prints nothing and exits 0 for a clean flow', () => {
    const result = parley(['validate', flowFile('extra-handoff')]);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('prints warnings but exits 0 when nothing blocks publishing', () => {
    const result = parley(['validate', flowFile('greeting')]);
    expect(result.stdout).toBe(
      '/nodes/1: warning: After 3 wrong answers the conversation ends with the fallback message (“Sorry, something went wrong.” unless the flow sets another). Connect “Invalid” to decide what happens instead.\n',
    );
    expect(result.status).toBe(0);
  });

  it('exits 1 for an empty flow, which can be saved as a draft but not published', () => {
    const result = parley([
      'validate',
      writeTemp('empty.json', { schemaVersion: 1, name: 'Empty', triggers: [], nodes: [], edges: [] }),
    ]);
    expect(lines(result.stdout)).toEqual([
      '/nodes: The flow has no blocks yet. Add the blocks of the conversation before publishing.',
      '/triggers: Nothing starts this flow. Add a start (which messages begin it) before publishing.',
    ]);
    expect(result.status).toBe(1);
  });

  it('exits 1 with errors before warnings, each error as POINTER: message', () => {
    const broken = {
      ...base,
      nodes: [...base.nodes, { id: 'n4', type: 'jump', config: { target: 'missing' } }],
      edges: [...base.edges, { id: 'e1', source: 'n2', sourceHandle: 'next', target: 'n3' }],
    };
    const result = parley(['validate', writeTemp('errors.json', broken)]);
    expect(result.status).toBe(1);
    const out = lines(result.stdout);
    const firstWarning = out.findIndex((line) => / warning: /.test(line));
    const errors = firstWarning === -1 ? out : out.slice(0, firstWarning);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const line of errors) expect(line).toMatch(/^\/\S*: (?!warning: )\S/);
    expect(errors.some((line) => line.startsWith('/nodes/3/config/target: '))).toBe(true);
    if (firstWarning !== -1) {
      for (const line of out.slice(firstWarning)) expect(line).toMatch(/^\/\S*: warning: /);
    }
  });

  it('reports patterns RE2 cannot run (a lookahead) as POINTER: message, exit 1', () => {
    const lookahead = {
      schemaVersion: 1,
      name: 'Lookaheads',
      triggers: [{ id: 't1', type: 'keyword', match: 'regex', keywords: ['^(?!stop)'], target: 'q' }],
      nodes: [
        {
          id: 'q',
          type: 'question',
          config: {
            prompt: 'Password?',
            variable: 'password',
            answer: { type: 'string', pattern: '^(?=.*\\d)' },
          },
        },
        {
          id: 'c',
          type: 'condition',
          config: { branches: [{ id: 'b1', when: { var: 'password', op: 'matches', value: '(?=x)' } }] },
        },
        { id: 'end', type: 'end', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'q', sourceHandle: 'next', target: 'c' },
        { id: 'e2', source: 'c', sourceHandle: 'b1', target: 'end' },
        { id: 'e3', source: 'c', sourceHandle: 'else', target: 'end' },
        { id: 'e4', source: 'q', sourceHandle: 'invalid', target: 'end' },
      ],
    };
    const result = parley(['validate', writeTemp('lookahead.json', lookahead)]);
    expect(result.status).toBe(1);
    const why = 'lookaheads like (?=…) and (?!…) are not supported. Describe the text itself instead.';
    expect(lines(result.stdout)).toEqual([
      `/nodes/0/config/answer/pattern: The answer settings are not valid: the pattern “^(?=.*\\d)” can't be used: ${why}`,
      `/nodes/1/config/branches/0/when/value: This pattern can't be used: ${why}`,
      `/triggers/0/keywords/0: This pattern can't be used: ${why}`,
    ]);
  });

  it('reports a missing top-level field at /', () => {
    const { name: _name, ...nameless } = base;
    const result = parley(['validate', writeTemp('nameless.json', nameless)]);
    expect(result.status).toBe(1);
    expect(lines(result.stdout).some((line) => line.startsWith('/: '))).toBe(true);
  });
});
