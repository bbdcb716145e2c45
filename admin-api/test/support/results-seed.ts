/**
 * Seed data for the responses, export and analytics tests, written with SQL directly (what the
 * runtime would have written): a flow with two published versions asking different questions.
 */
import type { Queryable } from '@parley/db';
import { type ConversationStatus, deriveForm, type FlowDocument } from '@parley/schemas';

const question = (
  id: string,
  variable: string,
  label: string,
  answer: Record<string, unknown>,
  extra = {},
) => ({
  id,
  type: 'question',
  config: { prompt: `${label}?`, variable, answer, ui: { label }, ...extra },
});

const chain = (ids: string[]) =>
  ids.slice(1).map((target, index) => ({
    id: `e${index + 1}`,
    source: ids[index] as string,
    sourceHandle: 'next',
    target,
  }));

/** Version 1: name, email, and a variable called like a fixed export column (`status`). */
export const FLOW_V1 = {
  schemaVersion: 1,
  name: 'Lead intake',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'm1' }],
  nodes: [
    { id: 'm1', type: 'message', config: { text: 'Hi!' } },
    question('q_name', 'name', 'Your name', { type: 'string' }),
    question('q_email', 'email', 'Email', { type: 'string', format: 'email' }),
    question(
      'q_status',
      'status',
      'Marital status',
      { type: 'string', enum: ['single', 'married'] },
      {
        choices: [
          { id: 'c_single', label: 'Single', value: 'single' },
          { id: 'c_married', label: 'Married', value: 'married' },
        ],
      },
    ),
    { id: 'end', type: 'end', config: { text: 'Thanks!' } },
  ],
  edges: chain(['m1', 'q_name', 'q_email', 'q_status', 'end']),
};

/** Version 2: name (relabelled), plan, tags (multi-choice), rating, location; no email or status. */
export const FLOW_V2 = {
  schemaVersion: 1,
  name: 'Lead intake',
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'm1' }],
  nodes: [
    { id: 'm1', type: 'message', config: { text: 'Hi!' } },
    question('q_name', 'name', 'Full name', { type: 'string' }),
    question(
      'q_plan',
      'plan',
      'Plan',
      { type: 'string', enum: ['basic', 'pro'] },
      {
        choices: [
          { id: 'c_basic', label: 'Basic', value: 'basic' },
          { id: 'c_pro', label: 'Pro', value: 'pro' },
        ],
      },
    ),
    question(
      'q_tags',
      'tags',
      'Interests',
      { type: 'array', items: { type: 'string', enum: ['news', 'offers', 'events'] } },
      {
        choices: [
          { id: 'c_news', label: 'News', value: 'news' },
          { id: 'c_offers', label: 'Offers', value: 'offers' },
          { id: 'c_events', label: 'Events', value: 'events' },
        ],
      },
    ),
    question('q_rating', 'rating', 'Rating', { type: 'integer', minimum: 1, maximum: 5 }),
    question(
      'q_location',
      'location',
      'Where are you',
      {
        type: 'object',
        properties: { lat: { type: 'number' }, lng: { type: 'number' } },
        required: ['lat', 'lng'],
      },
      { accept: 'location' },
    ),
    { id: 'end', type: 'end', config: { text: 'Thanks!' } },
  ],
  edges: chain(['m1', 'q_name', 'q_plan', 'q_tags', 'q_rating', 'q_location', 'end']),
};

/** The answer columns the API should report: version 2's order, then what only version 1 had. */
export const EXPECTED_COLUMNS = [
  { variable: 'name', title: 'Full name', type: 'string', personal: null },
  { variable: 'plan', title: 'Plan', type: 'string', personal: null },
  { variable: 'tags', title: 'Interests', type: 'array', personal: null },
  { variable: 'rating', title: 'Rating', type: 'integer', personal: null },
  { variable: 'location', title: 'Where are you', type: 'object', personal: null },
  { variable: 'email', title: 'Email', type: 'string', personal: 'email' },
  { variable: 'status', title: 'Marital status', type: 'string', personal: null },
];

export interface SeededFlow {
  flowId: string;
  numberId: string;
  v1Id: string;
  v2Id: string;
  /** A draft snapshot (version 0) that simulator sessions ran. */
  draftId: string;
}

/** A flow with versions 1 (archived) and 2 (published), a draft snapshot and a number. */
export async function seedFlow(
  db: Queryable,
  workspaceId: string,
  name = 'Lead intake',
): Promise<SeededFlow> {
  const insert = async <T>(sql: string, params: unknown[]) => (await db.query<T>(sql, params)).rows[0] as T;
  const { id: numberId } = await insert<{ id: string }>(
    `insert into numbers (workspace_id, phone, label) values ($1, '+15550009999', 'Main')
     on conflict (workspace_id, phone) do update set label = excluded.label returning id`,
    [workspaceId],
  );
  const { id: flowId } = await insert<{ id: string }>(
    `insert into flows (workspace_id, name, draft) values ($1, $2, $3::jsonb) returning id`,
    [workspaceId, name, JSON.stringify(FLOW_V2)],
  );
  const version = (number: number, status: string, definition: unknown) =>
    insert<{ id: string }>(
      `insert into flow_versions (workspace_id, flow_id, version, status, definition, answers_schema, checksum, published_at)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, md5($5::text), case when $3 > 0 then now() end) returning id`,
      [
        workspaceId,
        flowId,
        number,
        status,
        JSON.stringify(definition),
        JSON.stringify(deriveForm(definition as FlowDocument).answersSchema),
      ],
    );
  const v1 = await version(1, 'archived', FLOW_V1);
  const v2 = await version(2, 'published', FLOW_V2);
  const draft = await version(0, 'draft', FLOW_V2);
  return { flowId, numberId, v1Id: v1.id, v2Id: v2.id, draftId: draft.id };
}

export interface ConversationSeed {
  id: string;
  versionId: string;
  contact: string;
  contactName?: string | null;
  status: ConversationStatus;
  answers?: Record<string, unknown>;
  currentNode?: string | null;
  isTest?: boolean;
  startedAt: string;
  /** For completed ones: when they completed (the responses row). */
  endedAt?: string | null;
  /** node id → answered: the runtime's node_visits rows. */
  visits?: Record<string, boolean>;
}

/** One conversation as the runtime writes it: the row, its response when completed, its node visits. */
export async function seedConversation(
  db: Queryable,
  workspaceId: string,
  flow: SeededFlow,
  seed: ConversationSeed,
) {
  const answers = JSON.stringify(seed.answers ?? {});
  await db.query(
    `insert into conversations (id, workspace_id, number_id, contact, contact_name, flow_id, flow_version_id, engine_id,
       status, current_node, answers, variables, is_test, started_at, ended_at)
     values ($1::uuid, $2, $3, $4, $5, $6, $7, $1::text, $8, $9, $10::jsonb, $10::jsonb, $11, $12, $13)`,
    [
      seed.id,
      workspaceId,
      flow.numberId,
      seed.contact,
      seed.contactName ?? null,
      flow.flowId,
      seed.versionId,
      seed.status,
      seed.currentNode ?? null,
      answers,
      seed.isTest ?? false,
      seed.startedAt,
      seed.endedAt ?? null,
    ],
  );
  if (seed.status === 'completed') {
    await db.query(
      `insert into responses (workspace_id, conversation_id, flow_id, flow_version_id, answers, is_test, completed_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
      [workspaceId, seed.id, flow.flowId, seed.versionId, answers, seed.isTest ?? false, seed.endedAt],
    );
  }
  for (const [nodeId, answered] of Object.entries(seed.visits ?? {})) {
    await db.query(
      `insert into node_visits (conversation_id, node_id, workspace_id, answered, first_at) values ($1, $2, $3, $4, $5)`,
      [seed.id, nodeId, workspaceId, answered, seed.startedAt],
    );
  }
}

/** A conversation id that sorts like `n` (ids tie-break the order). */
export const uuidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
