import type { FlowNode, NodeType } from '@parley/schemas';
import type { Conversation, Wait } from '../state.js';
import type { Turn } from '../turn.js';

/** Where the walk goes after a node ran. */
export type Transition =
  | { kind: 'follow'; handle: string }
  | { kind: 'goto'; nodeId: string }
  | { kind: 'wait'; wait: Wait }
  | { kind: 'finish'; status: 'completed' | 'handoff' };

export type NodeOf<T extends NodeType> = Extract<FlowNode, { type: T }>;

/** Runs one node of its type when the walk enters it. */
export type NodeExecutor<T extends NodeType> = (
  node: NodeOf<T>,
  conversation: Conversation,
  turn: Turn,
) => Transition;
