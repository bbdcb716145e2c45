import type { FlowNode, NodeType } from '@parley/schemas';
import type { Reply } from '../answers/parse-answer.js';
import type { AiOutcome, HttpOutcome } from '../events.js';
import type { Conversation } from '../state.js';
import type { Turn } from '../turn.js';

/** What every wait records: a kind named by the node's executor and the node it stopped at. */
export interface WaitBase {
  kind: string;
  nodeId: string;
}

/** Where the walk goes after a node ran. */
export type Transition<W extends WaitBase = WaitBase> =
  | { kind: 'follow'; handle: string }
  | { kind: 'goto'; nodeId: string }
  | { kind: 'wait'; wait: W }
  | { kind: 'finish'; status: 'completed' | 'handoff' };

/** What a waiting node does when something it waits for arrives. */
export type Resumption<W extends WaitBase = WaitBase> =
  /** Walks on from `nodeId` (null: the outcome is not connected); a new turn unless `sameTurn`. */
  | { kind: 'continue'; nodeId: string | null; sameTurn?: boolean }
  /** Keeps waiting, with the wait updated. */
  | { kind: 'wait'; wait: W }
  | { kind: 'fail'; reason: string }
  /** Not for this wait: nothing changes, the reason goes to the log. */
  | { kind: 'ignore'; reason: string };

export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;

/**
 * How a conversation stopped at a node of this type goes on. The handlers are methods so that an
 * executor with its own wait type still counts as an executor of any wait in the registry.
 */
export interface Resume<T extends NodeType, W extends WaitBase> {
  /** Whether the contact's silence counts while waiting here: the reminder and the session expiry apply. */
  idle: boolean;
  /** The node's own timer, if it has one: when it is due and what it does then. */
  timer?: {
    at(wait: W): number;
    fire(node: NodeOf<T>, conversation: Conversation, wait: W, turn: Turn): Resumption<W>;
  };
  onReply?(node: NodeOf<T>, conversation: Conversation, wait: W, reply: Reply, turn: Turn): Resumption<W>;
  onHttpResult?(
    node: NodeOf<T>,
    conversation: Conversation,
    wait: W,
    outcome: { requestId: string; result: HttpOutcome },
    turn: Turn,
  ): Resumption<W>;
  onAiResult?(
    node: NodeOf<T>,
    conversation: Conversation,
    wait: W,
    outcome: { requestId: string; result: AiOutcome },
    turn: Turn,
  ): Resumption<W>;
}

/** Runs one node of its type when the walk enters it and, for a node that waits, resumes it. */
export interface NodeExecutor<T extends NodeType, W extends WaitBase = never> {
  run(node: NodeOf<T>, conversation: Conversation, turn: Turn): Transition<W>;
  resume?: Resume<T, W>;
}

/** The wait an executor records, or never for one that does not wait. */
export type WaitOf<E> = E extends { run(...args: never[]): Transition<infer W> } ? W : never;
