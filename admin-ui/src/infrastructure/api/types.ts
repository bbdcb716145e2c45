import type { FlowDocument } from '@parley/schemas';

export type Role = 'viewer' | 'editor' | 'admin';

export interface Membership {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

export interface User {
  id: string;
  email: string;
  workspaces: Membership[];
}

export interface Me extends User {
  workspaceId: string;
  role: Role;
}

export interface FlowSummary {
  id: string;
  name: string;
  publishedVersion: number | null;
  updatedAt: string;
  /** Set on flows listed with `deleted=true`. */
  deletedAt?: string;
}

/** A number that stops answering when its flow is deleted (a 409's details). */
export interface SilencedNumber {
  id: string;
  phone: string;
  label: string | null;
  /** "+34 612 34 56 78 (Front desk)" */
  display: string;
}

export interface Flow {
  id: string;
  name: string;
  /** The stored draft: a Flow Document, though an imported one may still have problems. */
  draft: { definition: FlowDocument; etag: string };
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface FlowVersion {
  id: string;
  version: number;
  status: 'published' | 'archived' | 'draft';
  checksum: string;
  createdBy: string | null;
  createdAt: string;
  publishedAt: string | null;
}

export interface ProblemView {
  pointer: string;
  message: string;
}

export interface Member {
  id: string;
  email: string;
  role: Role;
  joinedAt: string;
}

/** An invitation the workspace sent, as its admins see it (nothing about the person until they accept). */
export interface SentInvitation {
  id: string;
  email: string;
  role: Role;
  invitedAt: string;
  expiresAt: string;
}

/** An invitation addressed to the signed-in user. */
export interface ReceivedInvitation {
  id: string;
  workspaceName: string;
  role: Role;
  invitedBy: string | null;
  invitedAt: string;
  expiresAt: string;
}

export type ConversationStatus = 'active' | 'completed' | 'failed' | 'handoff' | 'expired' | 'abandoned';

export interface BotChoice {
  id: string;
  label: string;
  value: unknown;
}

/** A message as the contact sees it in WhatsApp. */
export interface BotMessage {
  text: string;
  choices?: BotChoice[];
  media?: { url?: string; kind?: string; caption?: string };
  render?: 'list' | 'poll';
}

export interface TranscriptEntry extends BotMessage {
  direction: 'in' | 'out';
  status: string;
  at: string;
}

export interface SimulatorSession {
  id: string;
  flowId: string;
  version: number | 'draft';
  contact: { phone: string; name?: string };
  messages: TranscriptEntry[];
  /** Earlier messages were left out (only the latest 5,000 come back). */
  truncated: boolean;
  status: ConversationStatus | 'none';
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

export interface SimulatorReply {
  messages: BotMessage[];
  status: ConversationStatus | 'none';
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** The message is stored but its reply is not ready (202); sending it again with its key asks again. */
export interface SimulatorPending {
  stored: true;
  replyPending: true;
  message: string;
}

export type SessionState =
  | 'disconnected'
  | 'starting'
  | 'qr_pending'
  | 'connected'
  | 'reconnecting'
  | 'logged_out'
  | 'failed';

export interface WhatsAppNumber {
  id: string;
  phone: string;
  label: string | null;
  channel: 'whatsapp' | 'simulator';
  state: SessionState;
  desiredConnected: boolean;
  settings: Record<string, unknown>;
  flow: { id: string; name: string; publishedVersion: number | null } | null;
  createdAt: string;
  updatedAt: string;
}

/** One `state` event of a number's session stream. */
export interface SessionEvent {
  state: SessionState;
  qr?: string;
  pairingCode?: string;
  detail?: unknown;
  at: string;
}

export interface ConversationItem {
  id: string;
  numberId: string;
  contact: string;
  contactName: string | null;
  flowId: string;
  flowName: string | null;
  flowVersion: number;
  status: ConversationStatus;
  currentNode: string | null;
  startedAt: string;
  updatedAt: string;
  endedAt: string | null;
  /** A hand-off an admin released back to the bot: it no longer waits for a person. */
  releasedAt: string | null;
  isTest: boolean;
}

export interface ConversationMessage {
  id: number;
  direction: 'in' | 'out';
  type: string;
  body: Record<string, unknown>;
  status: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationDetail extends ConversationItem {
  variables: Record<string, unknown>;
  answers: Record<string, unknown>;
  endReason: string | null;
  /** The last messages, oldest first: all of them unless `truncated`. */
  messages: ConversationMessage[];
  messageCount: number;
  truncated: boolean;
}

export interface ConversationFilters {
  numberId?: string;
  flowId?: string;
  status?: ConversationStatus;
  from?: string;
  to?: string;
  includeTest?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AnswerColumn {
  variable: string;
  title: string;
  type: string;
  /** A phone or email answer: masked in masked exports. */
  personal: 'phone' | 'email' | null;
}

export interface ResponseItem {
  conversationId: string;
  contact: string;
  contactName: string | null;
  version: number;
  status: ConversationStatus;
  answers: Record<string, unknown>;
  startedAt: string;
  completedAt: string | null;
}

export interface ResponseFilters {
  version?: number;
  from?: string;
  to?: string;
  status?: 'completed' | 'partial' | 'all';
  includeTest?: boolean;
}

export interface NodeFunnel {
  nodeId: string;
  type: string | null;
  label: string | null;
  reached: number;
  answered: number;
  droppedHere: number;
  waitingHere: number;
}

export interface FlowAnalytics {
  starts: number;
  completions: number;
  completionRate: number;
  medianSecondsToComplete: number | null;
  /** `handoff`: hand-offs still waiting for a person; `handoffReleased`: released ones. */
  byStatus: Record<ConversationStatus, number> & { handoffReleased: number };
  nodes: NodeFunnel[];
}

export type ExportFormat = 'csv' | 'xlsx' | 'ndjson';
