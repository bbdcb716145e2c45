import { type Static, Type } from '@sinclair/typebox';

/** What a note of a test turn is about. */
export const TURN_NOTE_KINDS = [
  'http_failed',
  'answer_refused',
  'ended_with_fallback',
  'empty_variable',
  /** A model's tool call, with its arguments and what the service answered (or why it was refused). */
  'ai_tool_call',
  /** An AI block left by its failure path: the provider's error, a budget or the quota. */
  'ai_failed',
  /** An AI answer Parley did not accept (a value that broke its field's schema). */
  'ai_refused',
  /** A model call cut off by a restart was made again. */
  'ai_retried',
] as const;

/**
 * Something the admin should know about a step of a test conversation, which the contact does not
 * see: the engine writes it, the live test shows it between the messages.
 */
export const TurnNote = Type.Object({
  kind: Type.Union(
    TURN_NOTE_KINDS.map((kind) => Type.Literal(kind)),
    { description: 'What the note is about' },
  ),
  text: Type.String({ description: 'What happened and why, in plain words, naming the block' }),
  nodeId: Type.String({ description: 'The block it is about' }),
  after: Type.Integer({
    minimum: 0,
    description: 'How many of the reply’s messages come before it (where it goes between them)',
  }),
});
export type TurnNote = Static<typeof TurnNote>;
