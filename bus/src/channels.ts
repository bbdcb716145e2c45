/** Bus channel names the API and the runtime agree on. */
export const busChannels = {
  /** A flow was published or (re)assigned to a number: runtimes reload which version answers. */
  flows: 'flows',
  /** The API recorded an inbound message itself (simulator sessions): `{ numberId, contact }`. */
  inbound: 'inbound',
  /** A simulator number's deliveries and turn ends. */
  simulator: (numberId: string) => `sim:${numberId}`,
  /** A WhatsApp number's session state changes (QR, connected, …). */
  session: (numberId: string) => `session:${numberId}`,
  /** A contact's data was erased: runtimes drop their cached state `{ numberId, contact }`. */
  contactPurged: 'contact-purged',
  /** A simulator session was deleted: runtimes drop its state and sent-log keys `{ numberId, contact }`. */
  simulatorEnded: 'simulator-ended',
  /** A sign-in session was revoked: API processes stop trusting its token `{ sessionId }`. */
  sessionRevoked: 'session-revoked',
  /** Admin requests to number sessions (connect, logout). */
  sessionCommands: 'session-commands',
} as const;

/**
 * What a runtime publishes on `busChannels.simulator(numberId)` after each committed checkpoint of
 * a simulator number (besides the channel's message-by-message deliveries).
 */
export interface SimulatorTurn {
  type: 'turn';
  contact: string;
  /** The inbound message rows the checkpoint handled. */
  inboundIds: number[];
  /** http_request calls the turn started; their results make further turns. */
  pendingHttp: number;
  /** The replies the turn queued (absent when they did not fit on the bus). */
  replies?: Record<string, unknown>[];
  /** The conversation after the turn (null: the turn touched none; absent: did not fit). */
  conversation?: {
    status: string;
    answers: Record<string, unknown>;
    variables: Record<string, unknown>;
  } | null;
}
