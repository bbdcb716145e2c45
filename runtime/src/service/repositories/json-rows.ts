/**
 * Rows travel to Postgres as one JSON parameter expanded with jsonb_to_recordset: one statement
 * for a whole batch, identical on pg and PGlite (no driver-specific array binding).
 */
export function jsonRows(rows: object[]): string {
  return JSON.stringify(rows);
}
