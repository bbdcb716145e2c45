import { type BusinessHours, closedText, describeOpening, openingAt } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { type CompiledFlow, compileFlow, DEFAULT_HANDOFF_TIMEOUT_TEXT } from './compile-flow.js';
import type { EngineEvent, StepResult } from './index.js';
import { type ContactState, initialState } from './state.js';
import { step } from './step.js';
import { nextTimerAt } from './timers.js';
import type { EngineOptions } from './turn.js';

type Json = Record<string, unknown>;
const MINUTE = 60_000;
/** A Wednesday, 10:00 UTC. */
const T0 = Date.UTC(2026, 11, 2, 10, 0, 0);

function flowOf(settings: Json = {}, timeoutEdge = true): CompiledFlow {
  return compileFlow({
    schemaVersion: 1,
    name: 'Support',
    settings,
    triggers: [{ id: 't1', type: 'any_message', target: 'name' }],
    nodes: [
      {
        id: 'name',
        type: 'question',
        config: { prompt: 'Name?', variable: 'name', answer: { type: 'string' } },
      },
      { id: 'human', type: 'handoff', config: { text: 'A person will answer, {{name}}.' } },
      {
        id: 'again',
        type: 'question',
        config: { prompt: 'Anything else?', variable: 'more', answer: { type: 'string' } },
      },
      { id: 'bye', type: 'end', config: { text: 'Bye {{name}}.' } },
    ],
    edges: [
      { id: 'e1', source: 'name', sourceHandle: 'next', target: 'human' },
      ...(timeoutEdge ? [{ id: 'e2', source: 'human', sourceHandle: 'timeout', target: 'again' }] : []),
      { id: 'e3', source: 'again', sourceHandle: 'next', target: 'bye' },
    ],
  });
}

const text = (id: string, body: string): EngineEvent => ({ type: 'message', id, text: body });
const texts = (result: StepResult) => result.outbound.map((message) => message.text);
const agent = { id: 'u1', name: 'Rita' };

/** The contact answers the name question and is handed off at `at`. */
function handedOff(flow: CompiledFlow, at = T0, options: EngineOptions = {}): StepResult {
  const first = step(flow, initialState({ phone: '+15550100001' }), text('w1', 'hi'), at - 1000, options);
  return step(flow, first.state, text('w2', 'Ana'), at, options);
}

describe('agent messages', () => {
  const flow = flowOf();

  it('go out during a hand-off with the agent’s name, the first one recorded as the first reply', () => {
    const start = handedOff(flow);
    const first = step(
      flow,
      start.state,
      { type: 'agent_message', id: 'a1', text: 'Hi Ana', agent },
      T0 + MINUTE,
    );
    expect(first.outbound).toEqual([{ kind: 'agent', conversationId: 'w1', text: 'Hi Ana', agent }]);
    expect(first.effects).toEqual([]);
    expect(first.state.conversation).toMatchObject({ status: 'handoff', agentRepliedAt: T0 + MINUTE });
    const second = step(
      flow,
      first.state,
      {
        type: 'agent_message',
        id: 'a2',
        media: { url: 'parley-media://w/c/f.pdf', mimeType: 'application/pdf', name: 'f.pdf', size: 10 },
        agent,
      },
      T0 + 2 * MINUTE,
    );
    expect(second.outbound).toEqual([
      {
        kind: 'agent',
        conversationId: 'w1',
        text: '',
        media: { url: 'parley-media://w/c/f.pdf', kind: 'document' },
        agent,
      },
    ]);
    expect(second.state.conversation?.agentRepliedAt).toBe(T0 + MINUTE);
  });

  it('send an image as an image', () => {
    const result = step(
      flow,
      handedOff(flow).state,
      {
        type: 'agent_message',
        id: 'a1',
        text: 'Look',
        media: { url: 'parley-media://x', mimeType: 'image/png', size: 3 },
        agent,
      },
      T0 + 1,
    );
    expect(result.outbound[0]?.media).toEqual({ url: 'parley-media://x', kind: 'image' });
  });

  it('are refused in words when the conversation is not with a person', () => {
    const released = step(flow, handedOff(flow).state, { type: 'release' }, T0 + 1);
    const event: EngineEvent = { type: 'agent_message', id: 'a1', text: 'Hi', agent };
    const cases: [ContactState, string | null, string][] = [
      [released.state, 'w1', 'the hand-off was closed'],
      [step(flow, initialState(), text('w1', 'hi'), T0).state, 'w1', 'the bot took it over again'],
      [initialState(), null, 'the contact has no conversation'],
    ];
    for (const [state, conversationId, why] of cases) {
      const result = step(flow, state, event, T0 + 2);
      expect(result.outbound).toEqual([]);
      expect(result.effects).toEqual([
        {
          type: 'agent_message_refused',
          conversationId,
          message: { kind: 'agent', text: 'Hi', agent },
          reason: `Not sent: this conversation was no longer with a person (${why}).`,
        },
      ]);
      expect(result.state).toStrictEqual(state);
    }
  });

  it('leave contact messages during the hand-off unanswered', () => {
    const start = handedOff(flow);
    const reply = step(flow, start.state, text('w3', 'hello?'), T0 + 1);
    expect(reply.outbound).toEqual([]);
    expect(reply.state).toStrictEqual(start.state);
  });
});

describe('resume', () => {
  const flow = flowOf();

  it('hands the conversation back to the bot at a block, keeping the variables', () => {
    const start = handedOff(flow);
    expect(start.state.conversation).toMatchObject({
      status: 'handoff',
      handoffAt: T0,
      handoffNodeId: 'human',
    });
    const resumed = step(flow, start.state, { type: 'resume', nodeId: 'again' }, T0 + MINUTE);
    expect(texts(resumed)).toEqual(['Anything else?']);
    expect(resumed.state.conversation).toMatchObject({
      id: 'w1',
      status: 'active',
      variables: { name: 'Ana' },
      wait: { nodeId: 'again' },
    });
    expect(resumed.state.conversation?.endedAt).toBeUndefined();
    const done = step(flow, resumed.state, text('w3', 'no'), T0 + 2 * MINUTE);
    expect(texts(done)).toEqual(['Bye Ana.']);
    expect(done.state.conversation?.status).toBe('completed');
  });

  it('does nothing when the conversation is not with a person', () => {
    const active = step(flow, initialState(), text('w1', 'hi'), T0);
    const resumed = step(flow, active.state, { type: 'resume', nodeId: 'bye' }, T0 + 1);
    expect(resumed.outbound).toEqual([]);
    expect(resumed.state).toStrictEqual(active.state);
    expect(resumed.log).toEqual(['nothing to resume: the conversation is not with a person']);
  });
});

describe('hand-off timeout', () => {
  it('has no timer without the setting', () => {
    expect(nextTimerAt(flowOf(), handedOff(flowOf()).state)).toBeNull();
  });

  it('says the timeout text and follows the timeout outcome back into the flow', () => {
    const flow = flowOf({ handoff: { timeoutMinutes: 15, timeoutText: 'Sorry {{name}}, nobody is free.' } });
    const start = handedOff(flow);
    expect(nextTimerAt(flow, start.state)).toBe(T0 + 15 * MINUTE);
    const early = step(flow, start.state, { type: 'timer' }, T0 + 14 * MINUTE);
    expect(early.outbound).toEqual([]);
    const late = step(flow, start.state, { type: 'timer' }, T0 + 15 * MINUTE);
    expect(texts(late)).toEqual(['Sorry Ana, nobody is free.', 'Anything else?']);
    expect(late.effects).toContainEqual({ type: 'handoff_timed_out', conversationId: 'w1', resumed: true });
    expect(late.state.conversation).toMatchObject({ status: 'active', variables: { name: 'Ana' } });
  });

  it('without a connected outcome keeps the people on it, and fires only once', () => {
    const flow = flowOf({ handoff: { timeoutMinutes: 15 } }, false);
    const late = step(flow, handedOff(flow).state, { type: 'timer' }, T0 + 20 * MINUTE);
    expect(texts(late)).toEqual([DEFAULT_HANDOFF_TIMEOUT_TEXT]);
    expect(late.effects).toEqual([{ type: 'handoff_timed_out', conversationId: 'w1', resumed: false }]);
    expect(late.state.conversation?.status).toBe('handoff');
    expect(nextTimerAt(flow, late.state)).toBeNull();
    expect(step(flow, late.state, { type: 'timer' }, T0 + 60 * MINUTE).outbound).toEqual([]);
  });

  it('does not fire once a person answered, nor after a release', () => {
    const flow = flowOf({ handoff: { timeoutMinutes: 15 } });
    const start = handedOff(flow);
    const answered = step(flow, start.state, { type: 'agent_message', id: 'a1', text: 'Hi', agent }, T0 + 1);
    expect(nextTimerAt(flow, answered.state)).toBeNull();
    expect(step(flow, answered.state, { type: 'timer' }, T0 + 20 * MINUTE).outbound).toEqual([]);
    const released = step(flow, start.state, { type: 'release' }, T0 + 1);
    expect(nextTimerAt(flow, released.state)).toBeNull();
  });

  it('starts again with a new hand-off after the flow took the conversation back', () => {
    const flow = compileFlow({
      schemaVersion: 1,
      name: 'Loop',
      settings: { handoff: { timeoutMinutes: 10 } },
      triggers: [{ id: 't1', type: 'any_message', target: 'human' }],
      nodes: [
        { id: 'human', type: 'handoff', config: {} },
        {
          id: 'ask',
          type: 'question',
          config: { prompt: 'Still there?', variable: 'x', answer: { type: 'string' } },
        },
      ],
      edges: [
        { id: 'e1', source: 'human', sourceHandle: 'timeout', target: 'ask' },
        { id: 'e2', source: 'ask', sourceHandle: 'next', target: 'human' },
      ],
    });
    const start = step(flow, initialState(), text('w1', 'hi'), T0);
    const timedOut = step(flow, start.state, { type: 'timer' }, T0 + 10 * MINUTE);
    const again = step(flow, timedOut.state, text('w2', 'yes'), T0 + 11 * MINUTE);
    expect(again.state.conversation).toMatchObject({ status: 'handoff', handoffAt: T0 + 11 * MINUTE });
    expect(nextTimerAt(flow, again.state)).toBe(T0 + 21 * MINUTE);
  });
});

describe('business hours', () => {
  const lisbon: BusinessHours = {
    timeZone: 'Europe/Lisbon',
    days: {
      mon: [{ from: '09:00', to: '17:00' }],
      tue: [{ from: '09:00', to: '17:00' }],
      wed: [
        { from: '09:00', to: '12:00' },
        { from: '13:00', to: '17:00' },
      ],
      thu: [{ from: '09:00', to: '17:00' }],
      fri: [{ from: '09:00', to: '17:00' }],
    },
  };
  /** Friday 4 December 2026, 19:30 in Lisbon (UTC+0 in winter). */
  const fridayEvening = Date.UTC(2026, 11, 4, 19, 30);
  const mondayNine = Date.UTC(2026, 11, 7, 9, 0);

  it('knows when they are open and when they open next, across a weekend and a lunch break', () => {
    expect(openingAt(lisbon, Date.UTC(2026, 11, 2, 10, 0))).toEqual({ open: true });
    expect(openingAt(lisbon, Date.UTC(2026, 11, 2, 12, 30))).toEqual({
      open: false,
      opensAt: Date.UTC(2026, 11, 2, 13, 0),
    });
    expect(openingAt(lisbon, Date.UTC(2026, 11, 2, 17, 0))).toEqual({
      open: false,
      opensAt: Date.UTC(2026, 11, 3, 9, 0),
    });
    expect(openingAt(lisbon, fridayEvening)).toEqual({ open: false, opensAt: mondayNine });
    expect(openingAt({ timeZone: 'UTC', days: {} }, fridayEvening)).toEqual({ open: false, opensAt: null });
  });

  it('counts in the business hours’ time zone, daylight saving included', () => {
    const saoPaulo: BusinessHours = {
      timeZone: 'America/Sao_Paulo',
      days: { mon: [{ from: '08:00', to: '18:00' }] },
    };
    // Monday 7 December 2026, 07:00 in São Paulo (UTC-3) is 10:00 UTC: closed for an hour more.
    expect(openingAt(saoPaulo, Date.UTC(2026, 11, 7, 10, 0))).toEqual({
      open: false,
      opensAt: Date.UTC(2026, 11, 7, 11, 0),
    });
    // Berlin on the Sunday summer time begins (29 March 2026): Monday opens at 09:00 CEST = 07:00 UTC.
    const berlin: BusinessHours = {
      timeZone: 'Europe/Berlin',
      days: { mon: [{ from: '09:00', to: '17:00' }] },
    };
    expect(openingAt(berlin, Date.UTC(2026, 2, 29, 12, 0))).toEqual({
      open: false,
      opensAt: Date.UTC(2026, 2, 30, 7, 0),
    });
  });

  it('says the opening in the flow’s language and the hours’ time zone', () => {
    expect(describeOpening(mondayNine, 'Europe/Lisbon', undefined)).toBe('Monday at 09:00');
    expect(describeOpening(mondayNine, 'Europe/Berlin', 'en-GB')).toBe('Monday at 10:00');
    expect(describeOpening(mondayNine, 'Europe/Berlin', 'de-DE')).toBe('Montag, 10:00');
    expect(closedText({ ...lisbon, closedText: 'Back {{ opens_at }}!' }, 'Monday at 09:00')).toBe(
      'Back Monday at 09:00!',
    );
    expect(closedText({ timeZone: 'UTC', days: {}, closedText: 'Back {{opens_at}}' }, null)).toBe(
      'Our team is away now. Someone will answer as soon as possible.',
    );
  });

  it('a hand-off on Friday evening tells the contact Monday 09:00, and the timeout counts from then', () => {
    const flow = flowOf({ handoff: { timeoutMinutes: 30 } });
    const result = handedOff(flow, fridayEvening, { businessHours: lisbon });
    expect(texts(result)).toEqual([
      'A person will answer, Ana.',
      'Our team is away now. Someone will answer on Monday at 09:00.',
    ]);
    expect(nextTimerAt(flow, result.state)).toBe(mondayNine + 30 * MINUTE);
  });

  it('tells nothing new within the hours, or when there are none', () => {
    const flow = flowOf({ handoff: { timeoutMinutes: 30 } });
    for (const options of [{ businessHours: lisbon }, { businessHours: null }, {}]) {
      const result = handedOff(flow, T0, options);
      expect(texts(result)).toEqual(['A person will answer, Ana.']);
      expect(nextTimerAt(flow, result.state)).toBe(T0 + 30 * MINUTE);
    }
    const weekend = handedOff(flow, fridayEvening, { businessHours: null });
    expect(texts(weekend)).toEqual(['A person will answer, Ana.']);
  });

  it('ignores hours in a time zone nobody knows, and says so in the log', () => {
    const result = handedOff(flowOf(), fridayEvening, {
      businessHours: { ...lisbon, timeZone: 'Mars/Olympus' },
    });
    expect(texts(result)).toEqual(['A person will answer, Ana.']);
    expect(result.log.some((line) => line.startsWith('business hours ignored:'))).toBe(true);
  });
});
