import type { ContactState } from '@parley/engine';

/** A contact's engine state with the checkpoint version it was written at. */
export interface VersionedState {
  state: ContactState;
  version: number;
  /** The flow version the latest conversation is pinned to. */
  flowVersionId: string | null;
}

/** Hot conversation state (Redis, or in process). Postgres checkpoints stay the truth. */
export interface StateStore {
  get(key: string): Promise<VersionedState | null>;
  set(key: string, value: VersionedState): Promise<void>;
  delete(key: string): Promise<void>;
}
