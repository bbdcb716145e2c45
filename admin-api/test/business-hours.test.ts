/**
 * Business hours per workspace through the HTTP API on a real Postgres database: an admin sets
 * them and reads them back with the workspace, hours that cannot work are refused in words that
 * say where, "always open" clears them, only admins change them, and each change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/test-api.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

const clinicHours = {
  timeZone: 'Europe/Lisbon',
  days: {
    mon: [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ],
    tue: [{ from: '09:00', to: '18:00' }],
    sat: [],
  },
  closedText: '  We are closed now. Someone will answer {{opens_at}}.  ',
};

describe('business hours', () => {
  it('are kept for the workspace, tidied, read back with it, and cleared by always open', async () => {
    expect((await api.admin.call('get', '/workspace')).body.businessHours).toBeNull();
    const saved = await api.admin.call('put', '/workspace/business-hours', { businessHours: clinicHours });
    expect(saved.status).toBe(200);
    const kept = {
      timeZone: 'Europe/Lisbon',
      // The empty Saturday is left out: a missing day is closed.
      days: { mon: clinicHours.days.mon, tue: clinicHours.days.tue },
      closedText: 'We are closed now. Someone will answer {{opens_at}}.',
    };
    expect(saved.body.businessHours).toEqual(kept);
    const viewer = await api.member('viewer');
    expect((await viewer.call('get', '/workspace')).body.businessHours).toEqual(kept);
    const { rows } = await api.db.query<{ business_hours: unknown }>(
      'select business_hours from workspaces where id = $1',
      [api.workspaceId],
    );
    expect(rows[0]?.business_hours).toEqual(kept);

    const open = await api.admin.call('put', '/workspace/business-hours', { businessHours: null });
    expect(open.status).toBe(200);
    expect(open.body.businessHours).toBeNull();

    const audit = await api.admin.call('get', '/audit?limit=10');
    const entries = audit.body.items.filter(
      (entry: { action: string }) => entry.action === 'workspace.business_hours',
    );
    expect(entries.map((entry: { before: unknown; after: unknown }) => [entry.before, entry.after])).toEqual([
      [{ businessHours: kept }, { businessHours: null }],
      [{ businessHours: null }, { businessHours: kept }],
    ]);
  });

  it('refuses hours that cannot work, saying what and where', async () => {
    const refused = await api.admin.call('put', '/workspace/business-hours', {
      businessHours: {
        timeZone: 'Europe/Atlantis',
        days: {
          mon: [{ from: '18:00', to: '09:00' }],
          wed: [
            { from: '09:00', to: '13:00' },
            { from: '12:00', to: '17:00' },
          ],
        },
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('"Europe/Atlantis" is not a time zone Parley knows');
    expect(refused.body.error.message).toContain('Monday: 18:00 to 09:00 ends before it starts');
    expect(refused.body.error.message).toContain('Wednesday: 12:00–17:00 overlaps 09:00–13:00');
    expect(refused.body.error.details.map((detail: { pointer: string }) => detail.pointer)).toEqual([
      '/body/businessHours/timeZone',
      '/body/businessHours/days/mon/0/to',
      '/body/businessHours/days/wed/1/from',
    ]);

    const closedAlways = await api.admin.call('put', '/workspace/business-hours', {
      businessHours: { timeZone: 'UTC', days: { sun: [] } },
    });
    expect(closedAlways.status).toBe(400);
    expect(closedAlways.body.error.message).toContain('No day has opening times');

    const badTime = await api.admin.call('put', '/workspace/business-hours', {
      businessHours: { timeZone: 'UTC', days: { mon: [{ from: '9am', to: '17:00' }] } },
    });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.details).toEqual([
      {
        pointer: '/body/businessHours/days/mon/0/from',
        message: 'Must be a time on the 24-hour clock, such as 09:00 or 17:30.',
      },
    ]);
    expect((await api.admin.call('get', '/workspace')).body.businessHours).toBeNull();
  });

  it('are changed by admins only', async () => {
    for (const role of ['viewer', 'editor'] as const) {
      const member = await api.member(role);
      const reply = await member.call('put', '/workspace/business-hours', { businessHours: null });
      expect(reply.status).toBe(403);
    }
  });
});
