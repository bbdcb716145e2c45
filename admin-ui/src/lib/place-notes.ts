/** A transcript's messages with the team's notes put where they happened. */
export type Placed<M, N> = { message: M } | { note: N };

/**
 * Each note goes after the last message whose id is at most its `afterMessageId` (the message it
 * follows may be one the transcript does not show); before them all when there is none. Notes keep
 * their order, which the API gives as they happened.
 */
export function placeNotes<M extends { id: number }, N extends { afterMessageId: number | null }>(
  messages: readonly M[],
  notes: readonly N[],
): Placed<M, N>[] {
  const slot = (note: N): number => {
    if (note.afterMessageId === null) return -1;
    let index = -1;
    for (const [position, message] of messages.entries()) {
      if (message.id > note.afterMessageId) break;
      index = position;
    }
    return index;
  };
  const bySlot = new Map<number, N[]>();
  for (const note of notes) {
    const at = slot(note);
    bySlot.set(at, [...(bySlot.get(at) ?? []), note]);
  }
  const notesAt = (index: number): Placed<M, N>[] => (bySlot.get(index) ?? []).map((note) => ({ note }));
  return [...notesAt(-1), ...messages.flatMap((message, index) => [{ message }, ...notesAt(index)])];
}
