import {
  CreateFlowBody,
  DeleteFlowQuery,
  DiffParams,
  DraftBody,
  Flow,
  FlowDefinition,
  FlowDiff,
  FlowList,
  FlowSearchQuery,
  FlowValidation,
  FlowVersionDetail,
  FlowVersionList,
  IdParams,
  ImportedFlow,
  Published,
  SavedDraft,
  VersionParams,
} from '@parley/contract';
import { type RouteDefinition, route } from '../../http/route.js';
import type { FlowsService } from './flows.service.js';

export function flowRoutes(flows: FlowsService): RouteDefinition[] {
  return [
    route({
      method: 'get',
      path: '/flows',
      summary: 'List the flows of the workspace (search by name with q; deleted=true: the deleted ones)',
      tag: 'flows',
      access: 'viewer',
      query: FlowSearchQuery,
      responses: {
        200: {
          description: 'Flows, most recently changed (or deleted) first',
          schema: FlowList,
        },
      },
      handler: async ({ caller, query }) => ({
        status: 200,
        body: {
          items: query.deleted === true ? await flows.listDeleted(caller) : await flows.list(caller, query.q),
        },
      }),
    }),
    route({
      method: 'post',
      path: '/flows',
      summary: 'Create a flow (blank, or from a definition)',
      tag: 'flows',
      access: 'editor',
      body: CreateFlowBody,
      responses: { 201: { description: 'Created', schema: Flow } },
      handler: async ({ caller, body }) => ({
        status: 201,
        body: await flows.create(caller, body.name, body.definition),
      }),
    }),
    route({
      method: 'post',
      path: '/flows/import',
      summary: 'Import a Flow Document as a new flow',
      tag: 'flows',
      access: 'editor',
      body: FlowDefinition,
      responses: {
        201: {
          description: 'Imported',
          schema: ImportedFlow,
        },
        422: { description: 'Not a readable Flow Document' },
      },
      handler: async ({ caller, body }) => ({ status: 201, body: await flows.import(caller, body) }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}',
      summary: 'A flow with its draft and etag',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The flow', schema: Flow } },
      handler: async ({ caller, params }) => {
        const flow = await flows.get(caller, params.id);
        return { status: 200, body: flow, headers: { etag: `"${flow.draft.etag}"` } };
      },
    }),
    route({
      method: 'put',
      path: '/flows/{id}/draft',
      summary: 'Save the draft; If-Match must carry the etag it was loaded with (412 when stale)',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      body: DraftBody,
      responses: {
        200: { description: 'Saved', schema: SavedDraft },
        412: { description: 'Someone else saved in the meantime, or If-Match is missing' },
      },
      handler: async ({ caller, params, body, request }) => {
        const saved = await flows.saveDraft(caller, params.id, request.get('if-match'), body.definition);
        return { status: 200, body: saved, headers: { etag: `"${saved.etag}"` } };
      },
    }),
    route({
      method: 'post',
      path: '/flows/{id}/validate',
      summary: 'Validate the draft: errors block publishing, warnings do not',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: {
        200: {
          description: 'Problems',
          schema: FlowValidation,
        },
      },
      handler: async ({ caller, params }) => ({ status: 200, body: await flows.validate(caller, params.id) }),
    }),
    route({
      method: 'post',
      path: '/flows/{id}/publish',
      summary: 'Publish the draft as a new immutable version',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      responses: {
        201: { description: 'Published', schema: Published },
        422: { description: 'The draft has errors (details.errors)' },
      },
      handler: async ({ caller, params }) => ({ status: 201, body: await flows.publish(caller, params.id) }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}/versions',
      summary: 'Published versions, newest first',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'Versions', schema: FlowVersionList } },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: { items: await flows.versions(caller, params.id) },
      }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}/versions/{v}',
      summary: 'One version with its definition',
      tag: 'flows',
      access: 'viewer',
      params: VersionParams,
      responses: {
        200: {
          description: 'The version',
          schema: FlowVersionDetail,
        },
      },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await flows.version(caller, params.id, params.v),
      }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}/versions/{a}/diff/{b}',
      summary: 'What changed from version a to version b',
      tag: 'flows',
      access: 'viewer',
      params: DiffParams,
      responses: {
        200: {
          description: 'Changes',
          schema: FlowDiff,
        },
      },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: await flows.diff(caller, params.id, params.a, params.b),
      }),
    }),
    route({
      method: 'post',
      path: '/flows/{id}/versions/{v}/rollback',
      summary:
        'Publish a copy of version v as the newest version (and the draft); If-Match: the draft’s etag',
      description:
        'If-Match must carry the draft’s etag, as on a draft save: rolling back replaces the draft.',
      tag: 'flows',
      access: 'editor',
      params: VersionParams,
      responses: {
        201: { description: 'Published', schema: Published },
        412: { description: 'Someone else saved the draft in the meantime, or If-Match is missing' },
      },
      handler: async ({ caller, params, request }) => ({
        status: 201,
        body: await flows.rollback(caller, params.id, params.v, request.get('if-match')),
      }),
    }),
    route({
      method: 'get',
      path: '/flows/{id}/export',
      summary: 'Download the draft as a Flow Document file',
      tag: 'flows',
      access: 'viewer',
      params: IdParams,
      responses: { 200: { description: 'The Flow Document', schema: FlowDefinition } },
      handler: async ({ caller, params }) => {
        const { name, definition } = await flows.exportDraft(caller, params.id);
        const file = `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'flow'}.json`;
        return {
          status: 200,
          body: definition,
          headers: { 'content-disposition': `attachment; filename="${file}"` },
        };
      },
    }),
    route({
      method: 'post',
      path: '/flows/{id}/duplicate',
      summary: 'Copy a flow (its draft) under a new name',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      responses: { 201: { description: 'The copy', schema: Flow } },
      handler: async ({ caller, params }) => ({
        status: 201,
        body: await flows.duplicate(caller, params.id),
      }),
    }),
    route({
      method: 'delete',
      path: '/flows/{id}',
      summary: 'Delete a flow (its conversations and answers are kept; it can be restored)',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      query: DeleteFlowQuery,
      responses: {
        204: { description: 'Deleted' },
        409: { description: 'Numbers answer with this flow (details.numbers); repeat with confirm=true' },
      },
      handler: async ({ caller, params, query }) => {
        await flows.remove(caller, params.id, query.confirm === true);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/flows/{id}/restore',
      summary: 'Restore a deleted flow (numbers it served stay unassigned)',
      tag: 'flows',
      access: 'editor',
      params: IdParams,
      responses: { 200: { description: 'Restored', schema: Flow }, 409: { description: 'Not deleted' } },
      handler: async ({ caller, params }) => ({ status: 200, body: await flows.restore(caller, params.id) }),
    }),
  ];
}
