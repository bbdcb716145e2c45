import { InboxEvent, SessionReason, SessionState, TurnNote } from '@parley/contract';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** One bus channel: its name and the one payload schema its publishers and subscribers share. */
export interface BusChannel<S extends TSchema = TSchema> {
  readonly name: string;
  readonly schema: S;
}

/** The payload type of a channel. */
export type PayloadOf<C extends BusChannel> = Static<C['schema']>;

const channel = <S extends TSchema>(name: string, schema: S): BusChannel<S> => ({ name, schema });

const ContactRef = Type.Object({ numberId: Type.String(), contact: Type.String() });

/** A flow was published, or a number's flow changed (`flowId` null: it has none now). */
const FlowsChanged = Type.Object({
  flowId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  numberId: Type.Optional(Type.String()),
});

/** A number's WhatsApp connection, as stored in `numbers.state` and `session_events`: the contract's list. */
export const ConnectionStateSchema = SessionState;
export type ConnectionState = Static<typeof ConnectionStateSchema>;

/** A connection change of a WhatsApp number: the admin UI shows it live. */
export const SessionUpdateSchema = Type.Object({
  numberId: Type.String(),
  state: ConnectionStateSchema,
  /** A QR code to scan, as a PNG data URL (never stored: it is a login secret). */
  qr: Type.Optional(Type.String()),
  /** The code to type on the phone ("Link with phone number"), never stored either. */
  pairingCode: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  /** Why, in plain words (null: nothing to explain), as stored in `numbers.state_reason`. */
  reason: Type.Optional(Type.Union([SessionReason, Type.Null()])),
  /** When a reconnect is due (epoch ms). */
  retryAt: Type.Optional(Type.Number()),
  /** Epoch ms. */
  at: Type.Number(),
});
export type SessionUpdate = Static<typeof SessionUpdateSchema>;

/** An admin's request to the runtime driving a WhatsApp number. */
export const SessionCommandSchema = Type.Object({
  numberId: Type.String({
    pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  }),
  command: Type.Union([Type.Literal('connect'), Type.Literal('logout'), Type.Literal('cancel')]),
  method: Type.Optional(Type.Union([Type.Literal('qr'), Type.Literal('pairing_code')])),
  /** The phone number to link by pairing code, as the admin typed it. */
  phone: Type.Optional(Type.String()),
});
export type SessionCommand = Static<typeof SessionCommandSchema>;

/** A bot message a simulator number "sent": the live test and tools show it as it goes out. */
export const SimulatorDeliverySchema = Type.Object({
  type: Type.Literal('message'),
  numberId: Type.String(),
  contact: Type.String(),
  channelMessageId: Type.String(),
  /** The engine's outbound message, as the channel was asked to send it. */
  message: Type.Unknown(),
  at: Type.Number(),
});
export type SimulatorDelivery = Static<typeof SimulatorDeliverySchema>;

/** What a runtime publishes after each committed checkpoint of a simulator number. */
export const SimulatorTurnSchema = Type.Object({
  type: Type.Literal('turn'),
  contact: Type.String(),
  /** The inbound message rows the checkpoint handled. */
  inboundIds: Type.Array(Type.Number()),
  /** http_request calls the turn started; their results make further turns. */
  pendingHttp: Type.Number(),
  /** The replies the turn queued (absent when they did not fit on the bus). */
  replies: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  /** What the admin should know about the turn, placed among `replies` (absent with them). */
  notes: Type.Optional(Type.Array(TurnNote)),
  /** The conversation after the turn (null: the turn touched none; absent: did not fit). */
  conversation: Type.Optional(
    Type.Union([
      Type.Object({
        status: Type.String(),
        answers: Type.Record(Type.String(), Type.Unknown()),
        variables: Type.Record(Type.String(), Type.Unknown()),
      }),
      Type.Null(),
    ]),
  ),
});
export type SimulatorTurn = Static<typeof SimulatorTurnSchema>;

/** A simulator contact's message, handed by the API to the runtimes, which record it (as a channel would). */
export const SimulatorInboundSchema = Type.Object({
  numberId: Type.String(),
  contact: Type.String(),
  /** The message id: a runtime records each id once. */
  id: Type.String(),
  contactName: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  media: Type.Optional(
    Type.Object({
      url: Type.String(),
      mimeType: Type.String(),
      name: Type.Optional(Type.String()),
      size: Type.Number(),
    }),
  ),
  location: Type.Optional(
    Type.Object({ lat: Type.Number(), lng: Type.Number(), name: Type.Optional(Type.String()) }),
  ),
  /** Epoch ms. */
  sentAt: Type.Number(),
});
export type SimulatorInbound = Static<typeof SimulatorInboundSchema>;

/**
 * A runtime's answer to a simulator message: recorded now (`accepted`), recorded before
 * (`duplicate`), or not a simulator number (`refused`: the session ended).
 */
export const SimulatorReceiptSchema = Type.Object({
  id: Type.String(),
  result: Type.Union([Type.Literal('accepted'), Type.Literal('duplicate'), Type.Literal('refused')]),
});
export type SimulatorReceipt = Static<typeof SimulatorReceiptSchema>;

/** What changed in a conversation that is (or was just) with a person: the inbox updates live. */
export const InboxActivitySchema = InboxEvent;
export type InboxActivity = Static<typeof InboxActivitySchema>;

const SimulatorMessage = Type.Union([SimulatorDeliverySchema, SimulatorTurnSchema]);

/** The channels between the API and the runtimes, each with its payload. */
export const busChannels = {
  /** A flow was published or (re)assigned to a number: runtimes reload which version answers. */
  flows: channel('flows', FlowsChanged),
  /** The API queued an inbound row itself (a hand-off release): runtimes pick the contact up. */
  inbound: channel('inbound', ContactRef),
  /** A simulator number's deliveries (message by message) and turn ends. */
  simulator: (numberId: string) => channel(`sim:${numberId}`, SimulatorMessage),
  /** A simulator contact's message for the runtimes to record and answer. */
  simulatorInbound: channel('simulator-inbound', SimulatorInboundSchema),
  /** The runtimes' receipts for a simulator number's messages. */
  simulatorReceipts: (numberId: string) => channel(`sim-receipt:${numberId}`, SimulatorReceiptSchema),
  /** A WhatsApp number's connection changes (QR, connected, …). */
  session: (numberId: string) => channel(`session:${numberId}`, SessionUpdateSchema),
  /** A contact's data was erased: runtimes drop their cached state. */
  contactPurged: channel('contact-purged', ContactRef),
  /** A simulator session was deleted: runtimes drop its state and sent-log keys. */
  simulatorEnded: channel('simulator-ended', ContactRef),
  /** A sign-in session was revoked: API processes stop trusting its token. */
  sessionRevoked: channel('session-revoked', Type.Object({ sessionId: Type.String() })),
  /** A person's role changed or they left a workspace: API processes re-read their access. */
  accessChanged: channel('access-changed', Type.Object({ userId: Type.String() })),
  /** An API key was revoked: API processes stop trusting it at once. */
  apiKeyRevoked: channel('api-key-revoked', Type.Object({ keyId: Type.String() })),
  /** Hand-offs and what happens in them (runtimes and API processes publish; inbox streams listen). */
  inboxActivity: channel('inbox-activity', InboxActivitySchema),
  /** Admin requests to number connections (connect, logout). */
  sessionCommands: channel('session-commands', SessionCommandSchema),
} as const;
