import type { SentPoll } from './sent-repository.js';
import { choiceIdsForVote } from './translate-inbound.js';
import type { WaVote } from './wa-client.js';

export interface PollVotesDeps {
  /** The poll behind a vote: ours (in memory since we sent it, else from Postgres), or null. */
  lookup: (pollMessageId: string) => Promise<SentPoll | null>;
  /** A settled vote, as the choice ids it picks. */
  deliver: (vote: WaVote, poll: SentPoll, choiceIds: string[]) => void;
  settleMs: number;
}

/**
 * Turns poll votes into answers. Every tap on a poll is a vote carrying the voter's whole current
 * selection, so a multi-answer poll is taken once the voter has stopped changing it for
 * `settleMs`; a single-answer poll is taken at once. Votes on polls that are not ours, not the
 * contact's latest question, or that clear the selection are dropped.
 */
export class PollVotes {
  private readonly settling = new Map<string, NodeJS.Timeout>();
  /** The newest vote seen per poll and voter: an older one finishing its lookup later is dropped. */
  private readonly newest = new Map<string, number>();

  constructor(private readonly deps: PollVotesDeps) {}

  async onVote(vote: WaVote): Promise<void> {
    if (vote.pollMessageId === '') return;
    const key = `${vote.pollMessageId} ${vote.voter}`;
    if ((this.newest.get(key) ?? Number.NEGATIVE_INFINITY) > vote.at) return;
    this.newest.set(key, vote.at);
    if (this.newest.size > 10_000) this.newest.delete(this.newest.keys().next().value as string);
    // A cleared selection withdraws a multi-answer vote still settling.
    clearTimeout(this.settling.get(key));
    this.settling.delete(key);
    if (vote.selected.length === 0) return;
    const poll = await this.deps.lookup(vote.pollMessageId);
    if (poll === null || !poll.latest || this.newest.get(key) !== vote.at) return;
    const choiceIds = choiceIdsForVote(vote.selected, poll.choices);
    if (choiceIds.length === 0) return;
    if (!poll.multiple) {
      this.deps.deliver(vote, poll, choiceIds);
      return;
    }
    const timer = setTimeout(() => {
      this.settling.delete(key);
      this.deps.deliver(vote, poll, choiceIds);
    }, this.deps.settleMs);
    this.settling.set(key, timer);
  }

  /** Drops the votes still settling (shutdown: the voter's poll stays open for the next owner). */
  cancel(): void {
    for (const timer of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
  }
}
