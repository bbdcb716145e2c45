import type { ConversationStatus as EngineConversationStatus } from '@parley/schemas/conversation-status';
import { type TLiteral, type TUnion, Type } from '@sinclair/typebox';
import {
  AI_PROVIDER_KINDS,
  API_KEY_ROLES,
  CHANNELS,
  CONVERSATION_STATUSES,
  EXPORT_FORMATS,
  FLOW_VERSION_STATUSES,
  MESSAGE_DIRECTIONS,
  RESPONSE_STATUS_FILTERS,
  ROLES,
  SESSION_REASONS,
  SESSION_STATES,
} from './enum-values.js';

/** A TypeBox union of string literals whose static type is the array's element type. */
export function literalUnion<const T extends readonly string[]>(
  values: T,
  options?: { description?: string; default?: T[number] },
) {
  return Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }>;
}

/** The engine's conversation statuses (one list, in @parley/schemas). */
export type ConversationStatus = EngineConversationStatus;
export const ConversationStatus = literalUnion(CONVERSATION_STATUSES);

export type Role = (typeof ROLES)[number];
export const Role = literalUnion(ROLES);

export type ApiKeyRole = (typeof API_KEY_ROLES)[number];
export const ApiKeyRole = literalUnion(API_KEY_ROLES);

export type SessionState = (typeof SESSION_STATES)[number];
export const SessionState = literalUnion(SESSION_STATES);

export type SessionReasonCode = (typeof SESSION_REASONS)[number];
export const SessionReasonCode = literalUnion(SESSION_REASONS);

export type Channel = (typeof CHANNELS)[number];
export const Channel = literalUnion(CHANNELS);

export type FlowVersionStatus = (typeof FLOW_VERSION_STATUSES)[number];
export const FlowVersionStatus = literalUnion(FLOW_VERSION_STATUSES);

export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];
export const MessageDirection = literalUnion(MESSAGE_DIRECTIONS);

export type ResponseStatusFilter = (typeof RESPONSE_STATUS_FILTERS)[number];
export const ResponseStatusFilter = literalUnion(RESPONSE_STATUS_FILTERS);

export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const ExportFormat = literalUnion(EXPORT_FORMATS);

export type AiProviderKind = (typeof AI_PROVIDER_KINDS)[number];
export const AiProviderKind = literalUnion(AI_PROVIDER_KINDS);
