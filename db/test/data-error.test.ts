import { describe, expect, it } from 'vitest';
import { isDataError } from '../src/data-error.js';
import { createTestDatabase } from '../src/testing.js';

describe('isDataError', () => {
  it('recognises Postgres refusing the data, not an unreachable server', async () => {
    const database = await createTestDatabase();
    try {
      const refused = await database.db.query(`select $1::jsonb`, ['{"text":"\\u0000"}']).catch((e) => e);
      expect(isDataError(refused)).toBe(true);
      const nul = await database.db.query(`select $1::text`, ['a\u0000b']).catch((e) => e);
      expect(isDataError(nul)).toBe(true);
    } finally {
      await database.drop();
    }
    expect(isDataError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isDataError(new Error('no code'))).toBe(false);
  });
});
