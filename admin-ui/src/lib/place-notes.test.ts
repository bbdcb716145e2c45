import { describe, expect, it } from 'vitest';
import { placeNotes } from './place-notes';

const message = (id: number) => ({ id });
const note = (text: string, afterMessageId: number | null) => ({ text, afterMessageId });

describe('placeNotes', () => {
  it('puts each note after the message it follows, in order, and leading ones first', () => {
    const placed = placeNotes(
      [message(10), message(12), message(20)],
      [
        note('restart', null),
        note('tool', 10),
        note('refused', 10),
        note('hidden control row', 15),
        note('end', 20),
      ],
    );
    expect(placed.map((item) => ('message' in item ? item.message.id : item.note.text))).toEqual([
      'restart',
      10,
      'tool',
      'refused',
      12,
      'hidden control row',
      20,
      'end',
    ]);
  });

  it('keeps notes without messages, and notes before the first message, at the start', () => {
    expect(placeNotes([], [note('a', null), note('b', 5)])).toEqual([
      { note: note('a', null) },
      { note: note('b', 5) },
    ]);
    expect(placeNotes([message(10)], [note('early', 3)])).toEqual([
      { note: note('early', 3) },
      { message: message(10) },
    ]);
  });
});
