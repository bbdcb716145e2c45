import type { Static, TSchema } from '@sinclair/typebox';
import type { FieldUiSchema } from '../form/derive-form.js';
import type { Problem } from '../validation/problem.js';
import type { QuestionConfig } from './question/index.js';

/** An outgoing connection point of a node, as drawn in the editor. */
export interface HandleSpec {
  id: string;
  label: string;
}

/**
 * The widgets every settings form has. `own` is a field the node type's editor module draws itself
 * (its `widgets`, keyed by field name).
 */
export type SettingsWidget =
  | 'text'
  | 'textarea'
  | 'number'
  | 'select'
  | 'checkbox'
  | 'keyValue'
  | 'node'
  | 'object'
  | 'own';

/** One field's hints for the generated settings form (rjsf-style keys). */
export interface FieldUi {
  'ui:widget'?: SettingsWidget;
  'ui:title'?: string;
  'ui:help'?: string;
  'ui:placeholder'?: string;
}

/** The settings form of a node type: field order plus per-field hints. */
export type SettingsUiSchema = { 'ui:order': string[] } & { [field: string]: FieldUi | string[] };

/** What a node's config reads and writes, for the "unknown variable" warnings. */
export interface NodeReferences {
  /** Template strings (with their JSON pointer below the node's config). */
  templates: { pointer: string; text: string }[];
  /** Variable paths read directly (condition rules), with pointers. */
  reads: { pointer: string; path: string }[];
  /** Variables this node defines. */
  defines: string[];
}

/** A variable a node asks the contact for, as the answers form and the exports show it. */
export interface AskedAnswer {
  variable: string;
  /** JSON Schema of the stored value. */
  answer: { type: string } & Record<string, unknown>;
  field: FieldUiSchema;
  /** The question as the contact meets it, so a form preview reads answers exactly as the chat does. */
  question: QuestionConfig;
}

/** An answer a node stores without asking for it: its variable, a column title, its JSON Schema. */
export interface StoredAnswer {
  variable: string;
  title: string;
  answer: { type: string } & Record<string, unknown>;
}

/** What a publish check may ask about the rest of the flow. */
export interface PublishCheckContext {
  /** Pointer of the node, e.g. `/nodes/3`. */
  pointer: string;
  /** The question that asks for a variable, when one does. */
  askedBy: (variable: string) => AskedAnswer | undefined;
}

export interface GraphCheckContext {
  /** Pointer of the node, e.g. `/nodes/3`. */
  pointer: string;
  nodeIds: ReadonlySet<string>;
  /** The deployment lets http_request call private network addresses (PARLEY_ALLOW_PRIVATE_HTTP=1). */
  allowPrivateHttp: boolean;
  /** The workspace's AI provider ids, where the caller knows them (the API does; a CLI does not). */
  aiCredentialIds?: ReadonlySet<string>;
}

/**
 * Everything shared-schemas knows about one node type. The runtime's executors and the editor's
 * canvas nodes are registries keyed by the same type, so a missing piece is a compile error.
 */
export interface NodeDefinition<S extends TSchema = TSchema, U extends SettingsUiSchema = SettingsUiSchema> {
  type: string;
  title: string;
  description: string;
  category: 'ask' | 'say' | 'logic' | 'integrate' | 'ai' | 'finish';
  configSchema: S;
  settingsUi: U;
  defaults: () => Static<S>;
  handles: (config: Static<S>) => HandleSpec[];
  references: (config: Static<S>) => NodeReferences;
  /** Nodes it continues at besides its connected outcomes (a "go to" target). */
  successors?: (config: Static<S>) => string[];
  /** The config with the node ids of `successors` renamed (a pasted copy points at the copies). */
  retarget?: (config: Static<S>, rename: (id: string) => string) => Static<S>;
  /**
   * Whether the turn is over once the node ran: it waits (for the contact, a result or a timer) or
   * finishes the conversation. A finishing node is where paths may end.
   */
  stops?: 'wait' | 'finish';
  /** How many messages entering the node sends (none when absent). */
  sends?: (config: Static<S>) => number;
  /** The answer the node asks for and stores, if it asks one. */
  asks?: (config: Static<S>) => AskedAnswer;
  /**
   * Answers the node stores without asking (the values an AI block reads from the contact's
   * words): they go with the conversation's response and its exports like asked answers.
   */
  stores?: (config: Static<S>) => StoredAnswer[];
  /** A short text to tell the node apart in reports. */
  summary?: (config: Static<S>) => string | undefined;
  /** A config field holding a record of secret values: stored encrypted, shown masked. */
  secretRecord?: string;
  /**
   * The defaults of a new node placed in a flow that already defines `defined` variables, when they
   * must differ (a new question does not save over an earlier answer).
   */
  freshDefaults?: (defined: ReadonlySet<string>) => Static<S>;
  /** Outcomes that leave some of the node's variables unset (a question's Invalid, a failed request). */
  unsetOn?: (config: Static<S>) => Partial<Record<string, string[]>>;
  /**
   * What goes wrong, in the contact's terms, when an outcome is left unconnected (a warning on the
   * block): only outcomes whose loose end fails the conversation or silently skips something.
   */
  unconnected?: (config: Static<S>) => Partial<Record<string, string>>;
  /**
   * Rules that block publishing but not running: a stored flow that breaks one keeps running as it
   * did, while a new version cannot be published with it (a comparison that can never match).
   */
  publishCheck?: (config: Static<S>, ctx: PublishCheckContext) => Problem[];
  /** Rules beyond JSON Schema for one node (the graph layer calls it on structurally valid nodes). */
  check?: (config: Static<S>, ctx: GraphCheckContext) => Problem[];
}

/** Keeps the literal settings ui, so the editor can require a widget for each `own` field. */
export function defineNode<S extends TSchema, U extends SettingsUiSchema>(
  definition: NodeDefinition<S, U>,
): NodeDefinition<S, U> {
  return definition;
}
