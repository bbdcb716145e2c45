import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeConfigFromEnv } from '../src/service/config.js';
import { RuntimeService } from '../src/service/runtime-service.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';

// A message that waited out a disconnection too long (InboundMessage.stale) is recorded, never
// answered, and does not disturb the contact's conversation or its timers.

const flow = JSON.parse(readFileSync(new URL('./scenarios/email-retry.json', import.meta.url), 'utf8')).flow;

describe('stale inbound messages', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let service: RuntimeService;
  let numberId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ numberId } = await seedPublishedFlow(database.db, flow));
    service = await RuntimeService.start(
      { ...runtimeConfigFromEnv({ PARLEY_WHATSAPP: '0' }), databaseUrl: database.url, maintenanceMs: 200 },
      { listen: false },
    );
  });

  afterAll(async () => {
    await service?.stop();
    await database?.drop();
  });

  const rows = async (contact: string) =>
    (
      await database.db.query<{ direction: string; status: string; body: Record<string, unknown> }>(
        'select direction, status, body from messages where number_id = $1 and contact = $2 order by id',
        [numberId, contact],
      )
    ).rows;

  it('records a stale message without answering it, then answers a fresh one', async () => {
    const contact = '+15550000077';
    const sentAt = Date.now() - 3_600_000;
    expect(
      await service.host.receive({ numberId, contact, id: 'old-1', text: 'start', sentAt, stale: true }),
    ).toBe('accepted');
    await service.processor.idle();
    expect(await rows(contact)).toEqual([
      { direction: 'in', status: 'processed', body: { text: 'start', stale: true, sentAt } },
    ]);
    const timers = await database.db.query('select 1 from timers where number_id = $1 and contact = $2', [
      numberId,
      contact,
    ]);
    expect(timers.rowCount).toBe(0);
    await service.host.receive({ numberId, contact, id: 'new-1', text: 'start', sentAt: Date.now() });
    await service.processor.idle();
    const after = await rows(contact);
    expect(after.filter((row) => row.direction === 'out').length).toBeGreaterThan(0);
  });
});
