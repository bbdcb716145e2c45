import { randomUUID } from 'node:crypto';
import { type Bus, busChannels, publish } from '@parley/bus';
import type { Queryable } from '@parley/db';

/** The flow of the inbox tests: a name, a hand-off, and a block a person may hand back to. */
export const handoffFlow = {
  schemaVersion: 1,
  name: 'Support',
  triggers: [{ id: 't1', type: 'any_message', target: 'name' }],
  nodes: [
    {
      id: 'name',
      type: 'question',
      config: { prompt: 'Your name?', variable: 'name', answer: { type: 'string' } },
    },
    { id: 'human', type: 'handoff', config: { text: 'A person will answer, {{name}}.' } },
    {
      id: 'again',
      type: 'question',
      config: { prompt: 'Anything else, {{name}}?', variable: 'more', answer: { type: 'string' } },
    },
    { id: 'bye', type: 'end', config: { text: 'Bye {{name}}.' } },
  ],
  edges: [
    { id: 'e1', source: 'name', sourceHandle: 'next', target: 'human' },
    { id: 'e2', source: 'again', sourceHandle: 'next', target: 'bye' },
  ],
};

interface Target {
  workspaceId: string;
  numberId: string;
  contact: string;
}

/**
 * Records a control row the way the API does (`ConversationsRepository.insertControl`) and wakes
 * the runtimes; returns the id the API would give the action.
 */
export async function insertControl(
  db: Queryable,
  bus: Bus,
  target: Target,
  kind: 'agent' | 'resume' | 'release',
  body: Record<string, unknown>,
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `insert into messages (workspace_id, number_id, contact, direction, wa_message_id, type, body, status)
     values ($1, $2, $3, 'in', $4, 'control', $5::jsonb, 'received')`,
    [target.workspaceId, target.numberId, target.contact, `${kind}-${id}`, JSON.stringify(body)],
  );
  await publish(bus, busChannels.inbound, { numberId: target.numberId, contact: target.contact });
  return id;
}

/** A person's message from the inbox, as the API records it. */
export function agentMessage(
  db: Queryable,
  bus: Bus,
  target: Target,
  text: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return insertControl(db, bus, target, 'agent', {
    control: 'agent_message',
    text,
    agent: { id: 'agent-user-1', name: 'Rita Agent' },
    ...extra,
  });
}
