import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '@parley/db';

/** Creates a workspace, a simulator number and a published flow answering on it. */
export async function seedPublishedFlow(
  db: Queryable,
  definition: unknown,
  channel: 'simulator' | 'whatsapp' = 'simulator',
): Promise<{ workspaceId: string; numberId: string; flowId: string; versionId: string }> {
  const workspaceId = randomUUID();
  const numberId = randomUUID();
  const flowId = randomUUID();
  const versionId = randomUUID();
  const json = JSON.stringify(definition);
  await db.query('insert into workspaces (id, name) values ($1, $2)', [workspaceId, 'Test workspace']);
  await db.query(`insert into numbers (id, workspace_id, phone, channel) values ($1, $2, $3, $4)`, [
    numberId,
    workspaceId,
    `+1555${Math.floor(Math.random() * 1e7)}`,
    channel,
  ]);
  await db.query('insert into flows (id, workspace_id, name, draft) values ($1, $2, $3, $4::jsonb)', [
    flowId,
    workspaceId,
    'Test flow',
    json,
  ]);
  await db.query(
    `insert into flow_versions (id, workspace_id, flow_id, version, status, definition, checksum, published_at)
     values ($1, $2, $3, 1, 'published', $4::jsonb, $5, now())`,
    [versionId, workspaceId, flowId, json, createHash('sha256').update(json).digest('hex')],
  );
  await db.query('insert into number_flows (number_id, workspace_id, flow_id) values ($1, $2, $3)', [
    numberId,
    workspaceId,
    flowId,
  ]);
  return { workspaceId, numberId, flowId, versionId };
}
