import type { FlowDocument } from '@parley/schemas';
import { request } from './client';
import type { Flow, FlowSummary, FlowVersion, Me, Member, ProblemView, Role, User } from './types';

const enc = encodeURIComponent;

/** Every Admin API call the UI makes, typed. */
export const api = {
  login: (email: string, password: string) =>
    request<{ token: string; user: User }>('/auth/login', {
      method: 'POST',
      body: { email, password },
      anonymous: true,
    }).then((r) => r.data),
  logout: () => request<void>('/auth/logout', { method: 'POST' }).then((r) => r.data),
  me: () => request<Me>('/me').then((r) => r.data),

  listFlows: (q?: string) =>
    request<{ items: FlowSummary[] }>(`/flows${q ? `?q=${enc(q)}` : ''}`).then((r) => r.data.items),
  createFlow: (name: string, definition?: FlowDocument) =>
    request<Flow>('/flows', { method: 'POST', body: definition ? { name, definition } : { name } }).then(
      (r) => r.data,
    ),
  importFlow: (definition: unknown) =>
    request<Flow & { warnings: ProblemView[] }>('/flows/import', { method: 'POST', body: definition }).then(
      (r) => r.data,
    ),
  getFlow: (id: string) => request<Flow>(`/flows/${enc(id)}`).then((r) => r.data),
  saveDraft: (id: string, etag: string, definition: FlowDocument) =>
    request<{ etag: string }>(`/flows/${enc(id)}/draft`, {
      method: 'PUT',
      body: { definition },
      headers: { 'if-match': `"${etag}"` },
    }).then((r) => r.data),
  publish: (id: string) =>
    request<{ version: number }>(`/flows/${enc(id)}/publish`, { method: 'POST' }).then((r) => r.data),
  versions: (id: string) =>
    request<{ items: FlowVersion[] }>(`/flows/${enc(id)}/versions`).then((r) => r.data.items),
  version: (id: string, version: number) =>
    request<FlowVersion & { definition: FlowDocument }>(`/flows/${enc(id)}/versions/${version}`).then(
      (r) => r.data,
    ),
  rollback: (id: string, version: number) =>
    request<{ version: number }>(`/flows/${enc(id)}/versions/${version}/rollback`, { method: 'POST' }).then(
      (r) => r.data,
    ),
  duplicateFlow: (id: string) =>
    request<Flow>(`/flows/${enc(id)}/duplicate`, { method: 'POST' }).then((r) => r.data),
  deleteFlow: (id: string) => request<void>(`/flows/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  listUsers: () => request<{ items: Member[] }>('/users').then((r) => r.data.items),
  addUser: (email: string, password: string, role: Role) =>
    request<Member>('/users', { method: 'POST', body: { email, password, role } }).then((r) => r.data),
};
