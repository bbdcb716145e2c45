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
  /** A sign-in session was revoked: API processes stop trusting its token `{ sessionId }`. */
  sessionRevoked: 'session-revoked',
  /** Admin requests to number sessions (connect, logout). */
  sessionCommands: 'session-commands',
} as const;
