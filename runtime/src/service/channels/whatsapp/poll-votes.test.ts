import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PollVotes } from './poll-votes.js';
import type { SentPoll } from './sent-repository.js';
import type { WaVote } from './wa-client.js';

const choices = [
  { id: 'c1', label: 'Basic', value: 'basic' },
  { id: 'c2', label: 'Pro', value: 'pro' },
  { id: 'c3', label: 'Team', value: 'team' },
];
const poll = (multiple: boolean, latest = true): SentPoll => ({
  contact: '+4915',
  choices,
  multiple,
  latest,
});
const vote = (names: string[], at: number, pollMessageId = 'p1'): WaVote => ({
  pollMessageId,
  voter: '4915@c.us',
  selected: names.map((name) => ({ name, localId: choices.findIndex((c) => c.label === name) })),
  at,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function setup(found: SentPoll | null) {
  const delivered: string[][] = [];
  const votes = new PollVotes({
    lookup: async () => found,
    deliver: (_vote, _poll, ids) => delivered.push(ids),
    settleMs: 4000,
  });
  return { votes, delivered };
}

describe('PollVotes', () => {
  it('takes a single-answer vote at once', async () => {
    const { votes, delivered } = setup(poll(false));
    await votes.onVote(vote(['Pro'], 1));
    expect(delivered).toEqual([['c2']]);
  });

  it('takes a multi-answer vote once the voter stops changing it', async () => {
    const { votes, delivered } = setup(poll(true));
    await votes.onVote(vote(['Basic'], 1));
    await vi.advanceTimersByTimeAsync(1000);
    await votes.onVote(vote(['Basic', 'Team'], 2));
    await vi.advanceTimersByTimeAsync(3999);
    expect(delivered).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(delivered).toEqual([['c1', 'c3']]);
  });

  it('withdraws a settling vote whose selection is cleared', async () => {
    const { votes, delivered } = setup(poll(true));
    await votes.onVote(vote(['Basic'], 1));
    await votes.onVote(vote([], 2));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(delivered).toEqual([]);
  });

  it('drops votes on polls that are not ours or no longer the question', async () => {
    const unknown = setup(null);
    await unknown.votes.onVote(vote(['Pro'], 1));
    const old = setup(poll(false, false));
    await old.votes.onVote(vote(['Pro'], 1));
    expect([...unknown.delivered, ...old.delivered]).toEqual([]);
  });

  it('drops an older vote that finishes its lookup after a newer one', async () => {
    const { votes, delivered } = setup(poll(false));
    await votes.onVote(vote(['Team'], 5));
    await votes.onVote(vote(['Basic'], 3));
    expect(delivered).toEqual([['c3']]);
  });
});
