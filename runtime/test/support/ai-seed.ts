import { randomUUID } from 'node:crypto';
import { cipherPurposes, type Queryable, SecretCipher } from '@parley/db';
import { TEST_SECRET_KEY } from '@parley/db/testing';
import type { AiStandin } from '../../../test/support/ai-standin.js';

/** An OpenAI provider on the stand-in, its key sealed as the API seals it. */
export async function seedAiCredential(
  db: Queryable,
  workspaceId: string,
  standin: AiStandin,
  id: string = randomUUID(),
): Promise<string> {
  const cipher = SecretCipher.fromSecrets(cipherPurposes.aiKey, TEST_SECRET_KEY);
  await db.query(
    `insert into ai_credentials (id, workspace_id, name, kind, base_url, api_key)
     values ($1, $2, 'Stand-in', 'openai', $3, $4)`,
    [id, workspaceId, standin.baseUrl('openai'), cipher.sealText(standin.apiKey, `${workspaceId}/${id}`)],
  );
  return id;
}

export const AI_MODEL = 'gpt-4o-mini';

/**
 * An AI reply that may check free slots with a web service and note the day; done, hand-off and
 * failure each end with their own words.
 */
export function bookingFlow(toolUrl: string, credentialId: string) {
  return {
    schemaVersion: 1,
    name: 'Booking',
    triggers: [{ id: 't1', type: 'any_message', target: 'agent' }],
    nodes: [
      {
        id: 'agent',
        type: 'ai_reply',
        position: { x: 0, y: 0 },
        config: {
          credentialId,
          model: AI_MODEL,
          prompt: 'You are the booking assistant of Ana’s Dental.',
          goal: 'The contact has a day for the visit.',
          saveVariables: [{ name: 'day', description: 'The day the contact picked' }],
          tools: [
            {
              name: 'check_slots',
              description: 'Free slots on a day',
              method: 'POST',
              url: toolUrl,
              parameters: [{ name: 'day', type: 'string', description: 'The day', required: true }],
            },
          ],
          headers: { 'x-api-key': 'tool-secret' },
        },
      },
      { id: 'booked', type: 'end', position: { x: 0, y: 140 }, config: { text: 'Booked for {{day}}.' } },
      { id: 'person', type: 'end', position: { x: 200, y: 140 }, config: { text: 'A person will help.' } },
      { id: 'failed', type: 'end', position: { x: 400, y: 140 }, config: { text: 'AI failed.' } },
    ],
    edges: [
      { id: 'e1', source: 'agent', sourceHandle: 'done', target: 'booked' },
      { id: 'e2', source: 'agent', sourceHandle: 'handoff', target: 'person' },
      { id: 'e3', source: 'agent', sourceHandle: 'failure', target: 'failed' },
    ],
  };
}
