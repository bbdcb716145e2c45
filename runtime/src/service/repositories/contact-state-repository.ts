import type { Queryable } from '@parley/db';
import { migrateState } from '@parley/engine';
import type { VersionedState } from '../ports/state-store.js';
import { jsonRows } from './json-rows.js';

/** Reads engine checkpoints (the writes happen in CheckpointRepository, with everything else of a step). */
export class ContactStateRepository {
  async load(
    db: Queryable,
    contacts: { numberId: string; contact: string }[],
  ): Promise<Map<string, VersionedState>> {
    const { rows } = await db.query<{
      number_id: string;
      contact: string;
      state: unknown;
      version: number;
      flow_version_id: string | null;
    }>(
      `select s.number_id, s.contact, s.state, s.version, s.flow_version_id
       from contact_states s
       join jsonb_to_recordset($1::jsonb) as x(number_id uuid, contact text)
         on s.number_id = x.number_id and s.contact = x.contact`,
      [jsonRows(contacts.map((c) => ({ number_id: c.numberId, contact: c.contact })))],
    );
    return new Map(
      rows.map((row) => [
        `${row.number_id}:${row.contact}`,
        { state: migrateState(row.state), version: Number(row.version), flowVersionId: row.flow_version_id },
      ]),
    );
  }
}
