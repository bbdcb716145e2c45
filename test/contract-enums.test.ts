import {
  AI_PROVIDER_KINDS,
  ALERT_CHANNELS,
  ALERT_DELIVERY_STATUSES,
  ALERT_KINDS,
  API_KEY_ROLES,
  CHANNELS,
  CONVERSATION_STATUSES,
  FLOW_VERSION_STATUSES,
  MESSAGE_DIRECTIONS,
  ROLES,
} from '@parley/contract';
import { createTestDatabase } from '@parley/db/testing';
import { TURN_NOTE_KINDS } from '@parley/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The contract's enums are what the API accepts and the UI offers; the database's check
 * constraints are what it stores. A value in one and not the other is a bug either way.
 */
describe('the contract’s enums and the database’s check constraints', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  /** The values a check constraint on `table.column` allows (`column in ('a', 'b')`). */
  async function allowed(table: string, column: string): Promise<string[]> {
    const { rows } = await database.db.query<{ definition: string }>(
      `select pg_get_constraintdef(c.oid) as definition
         from pg_constraint c
         join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)
        where c.contype = 'c' and c.conrelid = $1::regclass and a.attname = $2
          and cardinality(c.conkey) = 1`,
      [table, column],
    );
    expect(rows, `one check constraint on ${table}.${column}`).toHaveLength(1);
    return [...(rows[0]?.definition ?? '').matchAll(/'([^']+)'::text/g)].map((match) => match[1] as string);
  }

  it.each([
    ['conversations', 'status', CONVERSATION_STATUSES],
    ['workspace_members', 'role', ROLES],
    ['workspace_invitations', 'role', ROLES],
    ['api_keys', 'role', API_KEY_ROLES],
    ['numbers', 'channel', CHANNELS],
    ['flow_versions', 'status', FLOW_VERSION_STATUSES],
    ['messages', 'direction', MESSAGE_DIRECTIONS],
    ['alert_rules', 'kind', ALERT_KINDS],
    ['alert_deliveries', 'channel', ALERT_CHANNELS],
    ['alert_deliveries', 'status', ALERT_DELIVERY_STATUSES],
    ['ai_credentials', 'kind', AI_PROVIDER_KINDS],
    ['ai_usage', 'kind', AI_PROVIDER_KINDS],
    ['conversation_notes', 'kind', TURN_NOTE_KINDS],
  ])('%s.%s holds the same values', async (table, column, values) => {
    expect((await allowed(table, column)).sort()).toEqual([...values].sort());
  });
});
