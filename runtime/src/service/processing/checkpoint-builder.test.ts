import { type ContactState, compileFlow, type EngineEvent, initialState, step } from '@parley/engine';
import { describe, expect, it } from 'vitest';
import { CheckpointBuilder } from './checkpoint-builder.js';
import { conversationUuid } from './conversation-id.js';
import type { RunnableVersion } from './flow-directory.js';

const NUMBER = '00000000-0000-4000-8000-000000000001';
const CONTACT = '+15550100001';
const T0 = Date.UTC(2026, 11, 2, 10, 0);

const version: RunnableVersion = {
  versionId: 'v1',
  flowId: 'f1',
  sealHeaders: null,
  flow: compileFlow({
    schemaVersion: 1,
    name: 'Support',
    settings: { handoff: { timeoutMinutes: 10 } },
    triggers: [{ id: 't1', type: 'any_message', target: 'human' }],
    nodes: [
      { id: 'human', type: 'handoff', config: { text: 'A person will answer.' } },
      { id: 'bye', type: 'end', config: { text: 'Bye.' } },
    ],
    edges: [{ id: 'e1', source: 'human', sourceHandle: 'timeout', target: 'bye' }],
  }),
};

/** Runs events through the engine into one builder, as a drain does. */
function drain(events: [number, EngineEvent][], start: ContactState = initialState()) {
  const builder = new CheckpointBuilder({
    workspaceId: 'w1',
    numberId: NUMBER,
    contact: CONTACT,
    isTest: false,
    expectedVersion: 0,
  });
  let state = start;
  for (const [index, [at, event]] of events.entries()) {
    const result = step(version.flow, state, event, at);
    builder.absorb(event, index + 1, state.conversation, result, version, at);
    state = result.state;
  }
  return { builder, state, checkpoint: builder.build(state, 'v1', null) };
}

const agent = { id: 'u1', name: 'Rita' };
const uuid = conversationUuid(NUMBER, 'w1');

describe('a checkpoint of hand-off events', () => {
  it('names what happened for the inbox, in order', () => {
    const { builder } = drain([
      [T0, { type: 'message', id: 'w1', text: 'hi' }],
      [T0 + 1, { type: 'message', id: 'w2', text: 'hello?' }],
      [T0 + 2, { type: 'agent_message', id: 'a1', text: 'Hi!', agent }],
      [T0 + 3, { type: 'release' }],
      [T0 + 4, { type: 'message', id: 'w3', text: 'again' }],
    ]);
    expect(builder.inboxActivity).toEqual([
      { conversationId: uuid, kind: 'handoff' },
      { conversationId: uuid, kind: 'contact_message' },
      { conversationId: uuid, kind: 'agent_message' },
      { conversationId: uuid, kind: 'released' },
      { conversationId: conversationUuid(NUMBER, 'w3'), kind: 'handoff' },
    ]);
  });

  it('tells of a timeout and of a hand-back', () => {
    const timedOut = drain([
      [T0, { type: 'message', id: 'w1', text: 'hi' }],
      [T0 + 10 * 60_000, { type: 'timer' }],
    ]);
    expect(timedOut.builder.inboxActivity.map((change) => change.kind)).toEqual(['handoff', 'timed_out']);
    const resumed = drain([
      [T0, { type: 'message', id: 'w1', text: 'hi' }],
      [T0 + 1, { type: 'resume', nodeId: 'bye' }],
    ]);
    expect(resumed.builder.inboxActivity.map((change) => change.kind)).toEqual(['handoff', 'resumed']);
  });

  it('keys an agent message by its id, and records a refused one as failed with the reason', () => {
    const { checkpoint } = drain([
      [T0, { type: 'message', id: 'w1', text: 'hi' }],
      [T0 + 1, { type: 'agent_message', id: 'a1', text: 'Hi!', agent }],
      [T0 + 2, { type: 'release' }],
      [T0 + 3, { type: 'agent_message', id: 'a2', text: 'Late', agent }],
    ]);
    const agentRows = checkpoint.outbound.filter((row) => row.body.kind === 'agent');
    expect(agentRows).toEqual([
      {
        conversationId: uuid,
        idempotencyKey: `${NUMBER}:${CONTACT}:agent-a1`,
        type: 'text',
        body: { kind: 'agent', text: 'Hi!', agent },
      },
      {
        conversationId: uuid,
        idempotencyKey: `${NUMBER}:${CONTACT}:agent-a2`,
        type: 'text',
        body: { kind: 'agent', text: 'Late', agent },
        status: 'failed',
        lastError: 'Not sent: this conversation was no longer with a person (the hand-off was closed).',
      },
    ]);
    expect(checkpoint.conversations[0]).toMatchObject({ handoffAt: T0, firstAgentReplyAt: T0 + 1 });
  });
});

describe('a checkpoint of an AI reply', () => {
  const aiVersion: RunnableVersion = {
    versionId: 'v2',
    flowId: 'f2',
    // Stands in for the cipher: what matters is that the plaintext headers are not kept.
    sealHeaders: (headers) => `sealed:${Object.keys(headers).join(',')}`,
    flow: compileFlow({
      schemaVersion: 1,
      name: 'Booking',
      triggers: [{ id: 't1', type: 'any_message', target: 'agent' }],
      nodes: [
        {
          id: 'agent',
          type: 'ai_reply',
          config: {
            credentialId: 'c1',
            model: 'gpt-4o-mini',
            prompt: 'You book visits.',
            goal: 'A day is picked.',
            headers: { 'x-api-key': 'tool-secret' },
          },
        },
        { id: 'bye', type: 'end', config: { text: 'Bye.' } },
      ],
      edges: [{ id: 'e1', source: 'agent', sourceHandle: 'done', target: 'bye' }],
    }),
  };

  function absorb(builder: CheckpointBuilder, state: ContactState, event: EngineEvent, at: number) {
    const result = step(aiVersion.flow, state, event, at);
    builder.absorb(event, null, state.conversation, result, aiVersion, at);
    return result.state;
  }

  it('keeps the model call pending with its tool headers sealed, and drops it once answered', () => {
    const builder = new CheckpointBuilder({
      workspaceId: 'w1',
      numberId: NUMBER,
      contact: CONTACT,
      isTest: false,
      expectedVersion: 0,
    });
    const state = absorb(builder, initialState(), { type: 'message', id: 'w1', text: 'hi' }, T0);
    const [added] = builder.build(state, 'v2', null).effectsAdded;
    expect(added?.requestId).toBe('w1:1');
    expect(added?.payload).toMatchObject({ type: 'ai_call', nodeId: 'agent', conversationId: 'w1' });
    const call = (added?.payload as { call: Record<string, unknown> } | undefined)?.call ?? {};
    expect(call.sealedHeaders).toBe('sealed:x-api-key');
    expect(call.headers).toBeUndefined();
    expect(JSON.stringify(added)).not.toContain('tool-secret');

    const answered = new CheckpointBuilder({
      workspaceId: 'w1',
      numberId: NUMBER,
      contact: CONTACT,
      isTest: false,
      expectedVersion: 1,
    });
    const result: EngineEvent = {
      type: 'ai_result',
      requestId: 'w1:1',
      result: {
        ok: true,
        text: 'Done.',
        toolCalls: [{ name: 'check', arguments: { day: 'Monday' }, status: 200, result: {} }],
        finish: 'done',
        usage: { inputTokens: 1, outputTokens: 1 },
        retried: true,
      },
    };
    const after = absorb(answered, state, result, T0 + 1);
    const checkpoint = answered.build(after, 'v2', null);
    expect(checkpoint.effectsDone).toEqual(['w1:1']);
    // Both notes come before the step's messages: they follow what the conversation stored last.
    expect(checkpoint.notes.map((note) => [note.kind, note.afterKey, note.afterId])).toEqual([
      ['ai_retried', null, null],
      ['ai_tool_call', null, null],
    ]);
    expect(checkpoint.outbound.map((row) => row.body.text)).toEqual(['Done.', 'Bye.']);
  });
});
