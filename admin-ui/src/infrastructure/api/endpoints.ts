import type {
  AgentMessageBody,
  AgentMessageResult,
  AiConnectionTest,
  AiCredential,
  AiModelList,
  AiProvider,
  AiQuota,
  AiUsage,
  Alert,
  AlertRule,
  ApiKey,
  ApiKeyRole,
  Assignment,
  Attachment,
  ConversationDetail,
  ConversationFilters,
  ConversationPage,
  CreateAiCredentialBody,
  CreateAlertRuleBody,
  CreatedApiKey,
  DeploymentPolicy,
  ExportFormat,
  ExportQuery,
  Flow,
  FlowAnalytics,
  FlowSummary,
  FlowTest,
  FlowTestBody,
  FlowTestSettings,
  FlowTests,
  FlowVersion,
  FlowVersionDetail,
  ImportedFlow,
  InboxItem,
  InboxPeople,
  InboxSummary,
  InboxView,
  JoinedWorkspace,
  LoginResult,
  Me,
  Member,
  Membership,
  PasswordReset,
  Published,
  ReadResult,
  ReceivedInvitation,
  ReleaseResult,
  ResponseFilters,
  ResponsePage,
  ResumeResult,
  Role,
  SavedDraft,
  SavedReply,
  SavedReplyBody,
  SentInvitation,
  SimulatorPending,
  SimulatorReply,
  SimulatorSession,
  TestRun,
  UpdateAiCredentialBody,
  UpdateAlertRuleBody,
  WhatsAppNumber,
  WorkspaceStatus,
  WorkspaceView,
} from '@parley/contract';
import type { BusinessHours, FlowDocument } from '@parley/schemas';
import { request } from './client';

const enc = encodeURIComponent;

/** `?a=1&b=2` from the defined values of an object ('' when there are none). */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Every Admin API call the UI makes, typed. */
export const api = {
  login: (email: string, password: string) =>
    request<LoginResult>('/auth/login', {
      method: 'POST',
      body: { email, password },
      anonymous: true,
    }).then((r) => r.data),
  logout: () => request<void>('/auth/logout', { method: 'POST' }).then((r) => r.data),
  me: () => request<Me>('/me').then((r) => r.data),
  policy: () => request<DeploymentPolicy>('/policy').then((r) => r.data),

  listFlows: (q?: string) =>
    request<{ items: FlowSummary[] }>(`/flows${q ? `?q=${enc(q)}` : ''}`).then((r) => r.data.items),
  createFlow: (name: string, definition?: FlowDocument) =>
    request<Flow>('/flows', { method: 'POST', body: definition ? { name, definition } : { name } }).then(
      (r) => r.data,
    ),
  importFlow: (definition: unknown) =>
    request<ImportedFlow>('/flows/import', { method: 'POST', body: definition }).then((r) => r.data),
  getFlow: (id: string) => request<Flow>(`/flows/${enc(id)}`).then((r) => r.data),
  saveDraft: (id: string, etag: string, definition: FlowDocument) =>
    request<SavedDraft>(`/flows/${enc(id)}/draft`, {
      method: 'PUT',
      body: { definition },
      headers: { 'if-match': `"${etag}"` },
    }).then((r) => r.data),
  publish: (id: string) =>
    request<Published>(`/flows/${enc(id)}/publish`, { method: 'POST' }).then((r) => r.data),
  flowTests: (id: string) => request<FlowTests>(`/flows/${enc(id)}/tests`).then((r) => r.data),
  /** Saves a conversation test; a `parley test` scenario file is accepted as it is. */
  addFlowTest: (id: string, test: FlowTestBody) =>
    request<FlowTest>(`/flows/${enc(id)}/tests`, { method: 'POST', body: test }).then((r) => r.data),
  removeFlowTest: (id: string, testId: string) =>
    request<void>(`/flows/${enc(id)}/tests/${enc(testId)}`, { method: 'DELETE' }).then((r) => r.data),
  setTestSettings: (id: string, settings: FlowTestSettings) =>
    request<FlowTestSettings>(`/flows/${enc(id)}/test-settings`, { method: 'PUT', body: settings }).then(
      (r) => r.data,
    ),
  runFlowTests: (id: string) =>
    request<TestRun>(`/flows/${enc(id)}/tests/run`, { method: 'POST', body: {} }).then((r) => r.data),
  testRuns: (id: string) =>
    request<{ runs: TestRun[] }>(`/flows/${enc(id)}/test-runs`).then((r) => r.data.runs),
  versions: (id: string) =>
    request<{ items: FlowVersion[] }>(`/flows/${enc(id)}/versions`).then((r) => r.data.items),
  version: (id: string, version: number) =>
    request<FlowVersionDetail>(`/flows/${enc(id)}/versions/${version}`).then((r) => r.data),
  /** Rolling back replaces the draft: `etag` is the draft's, as on a save (412 when someone saved since). */
  rollback: (id: string, version: number, etag: string) =>
    request<Published>(`/flows/${enc(id)}/versions/${version}/rollback`, {
      method: 'POST',
      headers: { 'if-match': `"${etag}"` },
    }).then((r) => r.data),
  duplicateFlow: (id: string) =>
    request<Flow>(`/flows/${enc(id)}/duplicate`, { method: 'POST' }).then((r) => r.data),
  /** Without `confirm`, a flow numbers answer with is refused (409, details.numbers: the numbers). */
  deleteFlow: (id: string, confirm = false) =>
    request<void>(`/flows/${enc(id)}${confirm ? '?confirm=true' : ''}`, { method: 'DELETE' }).then(
      (r) => r.data,
    ),
  listDeletedFlows: () => request<{ items: FlowSummary[] }>('/flows?deleted=true').then((r) => r.data.items),
  restoreFlow: (id: string) =>
    request<Flow>(`/flows/${enc(id)}/restore`, { method: 'POST' }).then((r) => r.data),

  /** No current password in a session opened with a one-time password. */
  changePassword: (currentPassword: string | undefined, newPassword: string) =>
    request<void>('/auth/password', { method: 'POST', body: { currentPassword, newPassword } }).then(
      (r) => r.data,
    ),
  redeemPasswordReset: (code: string, newPassword: string) =>
    request<void>('/auth/password-reset', { method: 'POST', body: { code, newPassword } }).then(
      (r) => r.data,
    ),
  issuePasswordReset: (id: string, sendEmail: boolean) =>
    request<PasswordReset>(`/users/${enc(id)}/password-reset`, {
      method: 'POST',
      body: { sendEmail },
    }).then((r) => r.data),
  signOutEverywhere: () => request<void>('/auth/logout-everywhere', { method: 'POST' }).then((r) => r.data),

  listApiKeys: () => request<{ items: ApiKey[] }>('/api-keys').then((r) => r.data.items),
  createApiKey: (name: string, role: ApiKeyRole, expiresInDays: number | null) =>
    request<CreatedApiKey>('/api-keys', {
      method: 'POST',
      body: { name, role, ...(expiresInDays === null ? {} : { expiresInDays }) },
    }).then((r) => r.data),
  revokeApiKey: (id: string) =>
    request<void>(`/api-keys/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  listAiCredentials: () => request<{ items: AiCredential[] }>('/ai/credentials').then((r) => r.data.items),
  createAiCredential: (body: CreateAiCredentialBody) =>
    request<AiCredential>('/ai/credentials', { method: 'POST', body }).then((r) => r.data),
  updateAiCredential: (id: string, changes: UpdateAiCredentialBody) =>
    request<AiCredential>(`/ai/credentials/${enc(id)}`, { method: 'PUT', body: changes }).then((r) => r.data),
  deleteAiCredential: (id: string) =>
    request<void>(`/ai/credentials/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),
  testAiCredential: (id: string, model?: string) =>
    request<AiConnectionTest>(`/ai/credentials/${enc(id)}/test`, {
      method: 'POST',
      body: model === undefined ? {} : { model },
    }).then((r) => r.data),
  aiModels: (id: string) => request<AiModelList>(`/ai/credentials/${enc(id)}/models`).then((r) => r.data),
  aiUsage: (month?: string) =>
    request<AiUsage>(`/ai/usage${month === undefined ? '' : `?month=${enc(month)}`}`).then((r) => r.data),
  setAiQuota: (monthlyTokens: number | null) =>
    request<AiQuota>('/ai/quota', { method: 'PUT', body: { monthlyTokens } }).then((r) => r.data),
  listAiProviders: () => request<{ items: AiProvider[] }>('/ai/providers').then((r) => r.data.items),
  aiProviderModels: (id: string) =>
    request<AiModelList>(`/ai/providers/${enc(id)}/models`).then((r) => r.data),

  listAlerts: () => request<{ items: Alert[] }>('/alerts').then((r) => r.data.items),
  listAlertRules: () => request<{ items: AlertRule[] }>('/alert-rules').then((r) => r.data.items),
  createAlertRule: (rule: CreateAlertRuleBody) =>
    request<AlertRule>('/alert-rules', { method: 'POST', body: rule }).then((r) => r.data),
  updateAlertRule: (id: string, changes: UpdateAlertRuleBody) =>
    request<AlertRule>(`/alert-rules/${enc(id)}`, { method: 'PATCH', body: changes }).then((r) => r.data),
  deleteAlertRule: (id: string) =>
    request<void>(`/alert-rules/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  listUsers: () => request<{ items: Member[] }>('/users').then((r) => r.data.items),
  inviteUser: (email: string, password: string, role: Role) =>
    request<SentInvitation>('/users', { method: 'POST', body: { email, password, role } }).then(
      (r) => r.data,
    ),
  changeRole: (id: string, role: Role) =>
    request<Member>(`/users/${enc(id)}`, { method: 'PATCH', body: { role } }).then((r) => r.data),
  removeMember: (id: string) => request<void>(`/users/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),
  sentInvitations: () => request<{ items: SentInvitation[] }>('/users/invitations').then((r) => r.data.items),
  revokeInvitation: (id: string) =>
    request<void>(`/users/invitations/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),
  myInvitations: () => request<{ items: ReceivedInvitation[] }>('/invitations').then((r) => r.data.items),
  acceptInvitation: (id: string) =>
    request<JoinedWorkspace>(`/invitations/${enc(id)}/accept`, { method: 'POST' }).then((r) => r.data),
  declineInvitation: (id: string) =>
    request<void>(`/invitations/${enc(id)}/decline`, { method: 'POST' }).then((r) => r.data),

  createWorkspace: (name: string) =>
    request<Membership>('/workspaces', { method: 'POST', body: { name } }).then((r) => r.data),
  renameWorkspace: (name: string) =>
    request<WorkspaceView>('/workspace', { method: 'PATCH', body: { name } }).then((r) => r.data),
  workspace: () => request<WorkspaceView>('/workspace').then((r) => r.data),
  /** null: always open. */
  setBusinessHours: (businessHours: BusinessHours | null) =>
    request<WorkspaceView>('/workspace/business-hours', { method: 'PUT', body: { businessHours } }).then(
      (r) => r.data,
    ),

  startSimulation: (flowId: string) =>
    request<SimulatorSession>('/simulator/sessions', {
      method: 'POST',
      body: { flowId, version: 'draft' },
    }).then((r) => r.data),
  simulation: (id: string) => request<SimulatorSession>(`/simulator/sessions/${enc(id)}`).then((r) => r.data),
  /** Sends a typed message; a retry of the same message reuses its key, so it is never stored twice. */
  sendSimulated: (id: string, text: string, idempotencyKey: string) =>
    request<SimulatorReply | SimulatorPending>(`/simulator/sessions/${enc(id)}/messages`, {
      method: 'POST',
      body: { text },
      headers: { 'idempotency-key': idempotencyKey },
    }).then((r) => r.data),
  /** Sends a file as the contact: base64 in JSON, within the server's size limit. */
  sendSimulatedFile: (
    id: string,
    file: { name: string; mimeType: string; data: string },
    idempotencyKey: string,
  ) =>
    request<SimulatorReply | SimulatorPending>(`/simulator/sessions/${enc(id)}/files`, {
      method: 'POST',
      body: file,
      headers: { 'idempotency-key': idempotencyKey },
    }).then((r) => r.data),
  sendSimulatedLocation: (id: string, location: { lat: number; lng: number }, idempotencyKey: string) =>
    request<SimulatorReply | SimulatorPending>(`/simulator/sessions/${enc(id)}/locations`, {
      method: 'POST',
      body: location,
      headers: { 'idempotency-key': idempotencyKey },
    }).then((r) => r.data),
  endSimulation: (id: string) =>
    request<void>(`/simulator/sessions/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  listNumbers: () => request<{ items: WhatsAppNumber[] }>('/numbers').then((r) => r.data.items),
  status: () => request<WorkspaceStatus>('/status').then((r) => r.data),
  addNumber: (phone: string, label?: string) =>
    request<WhatsAppNumber>('/numbers', { method: 'POST', body: label ? { phone, label } : { phone } }).then(
      (r) => r.data,
    ),
  connectNumber: (id: string, method: 'qr' | 'pairing_code') =>
    request<WhatsAppNumber>(`/numbers/${enc(id)}/connect`, { method: 'POST', body: { method } }).then(
      (r) => r.data,
    ),
  cancelNumber: (id: string) =>
    request<WhatsAppNumber>(`/numbers/${enc(id)}/cancel`, { method: 'POST' }).then((r) => r.data),
  logoutNumber: (id: string) =>
    request<WhatsAppNumber>(`/numbers/${enc(id)}/logout`, { method: 'POST' }).then((r) => r.data),
  assignFlow: (id: string, flowId: string | null) =>
    request<WhatsAppNumber>(`/numbers/${enc(id)}/flow`, { method: 'PUT', body: { flowId } }).then(
      (r) => r.data,
    ),
  deleteNumber: (id: string) =>
    request<void>(`/numbers/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  listConversations: (filters: ConversationFilters, cursor?: string) =>
    request<ConversationPage>(
      `/conversations${queryString({ ...filters, includeTest: filters.includeTest || undefined, cursor, limit: 25 })}`,
    ).then((r) => r.data),
  conversation: (id: string) => request<ConversationDetail>(`/conversations/${enc(id)}`).then((r) => r.data),
  releaseConversation: (id: string) =>
    request<ReleaseResult>(`/conversations/${enc(id)}/release`, { method: 'POST' }).then((r) => r.data),

  inbox: (view: InboxView) =>
    request<{ items: InboxItem[] }>(`/inbox${queryString({ view })}`).then((r) => r.data.items),
  inboxSummary: () => request<InboxSummary>('/inbox/summary').then((r) => r.data),
  inboxPeople: () => request<InboxPeople>('/inbox/people').then((r) => r.data.items),
  /** An agent's reply; a retry of the same reply reuses its key, so it is never sent twice. */
  sendAgentMessage: (id: string, body: AgentMessageBody, idempotencyKey: string) =>
    request<AgentMessageResult>(`/conversations/${enc(id)}/messages`, {
      method: 'POST',
      body,
      headers: { 'idempotency-key': idempotencyKey },
    }).then((r) => r.data),
  /** A file for an agent's reply: base64 in JSON, within the server's size limit. */
  uploadAttachment: (id: string, file: { name: string; mimeType: string; data: string }) =>
    request<Attachment>(`/conversations/${enc(id)}/attachments`, { method: 'POST', body: file }).then(
      (r) => r.data,
    ),
  /** Take (own id), give to someone else, or put back in the waiting list (null). */
  setAssignee: (id: string, userId: string | null) =>
    request<Assignment>(`/conversations/${enc(id)}/assignee`, { method: 'PUT', body: { userId } }).then(
      (r) => r.data,
    ),
  resumeConversation: (id: string, nodeId: string) =>
    request<ResumeResult>(`/conversations/${enc(id)}/resume`, { method: 'POST', body: { nodeId } }).then(
      (r) => r.data,
    ),
  markRead: (id: string, messageId: number) =>
    request<ReadResult>(`/conversations/${enc(id)}/read`, { method: 'POST', body: { messageId } }).then(
      (r) => r.data,
    ),
  savedReplies: () => request<{ items: SavedReply[] }>('/saved-replies').then((r) => r.data.items),
  createSavedReply: (reply: SavedReplyBody) =>
    request<SavedReply>('/saved-replies', { method: 'POST', body: reply }).then((r) => r.data),
  updateSavedReply: (id: string, reply: SavedReplyBody) =>
    request<SavedReply>(`/saved-replies/${enc(id)}`, { method: 'PUT', body: reply }).then((r) => r.data),
  deleteSavedReply: (id: string) =>
    request<void>(`/saved-replies/${enc(id)}`, { method: 'DELETE' }).then((r) => r.data),

  responses: (flowId: string, filters: ResponseFilters, cursor?: string) =>
    request<ResponsePage>(
      `/flows/${enc(flowId)}/responses${queryString({ ...filters, includeTest: filters.includeTest || undefined, cursor, limit: 25 })}`,
    ).then((r) => r.data),
  exportPath: (
    flowId: string,
    filters: ResponseFilters,
    format: ExportFormat,
    { maskPhone, choiceLabels }: Required<Pick<ExportQuery, 'maskPhone' | 'choiceLabels'>>,
  ) =>
    `/flows/${enc(flowId)}/responses/export${queryString({ ...filters, includeTest: filters.includeTest || undefined, format, maskPhone: maskPhone || undefined, choiceLabels: choiceLabels || undefined })}`,
  analytics: (flowId: string, filters: Omit<ResponseFilters, 'status'>) =>
    request<FlowAnalytics>(
      `/flows/${enc(flowId)}/analytics${queryString({ ...filters, includeTest: filters.includeTest || undefined })}`,
    ).then((r) => r.data),
};
