/** The largest message (serialized JSON, in bytes) every bus carries: Postgres NOTIFY's payload limit, with room. */
export const BUS_MESSAGE_LIMIT = 7_500;

/** Fire-and-forget notifications between processes (publishes, session states, simulator output). */
export interface Bus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves with an unsubscribe function once the subscription is active. */
  subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
