import { describe, expect, it } from 'vitest';
import { answerByLabel, choiceLabels } from './choice-labels.js';
import type { FlowDocument } from './document.js';

const asking = (choices: { id: string; label: string; value: string | number }[], multi = false) =>
  ({
    schemaVersion: 1,
    name: 'Dentist',
    triggers: [],
    edges: [],
    nodes: [
      {
        id: 'n1',
        type: 'question',
        config: {
          prompt: 'Which service?',
          variable: 'service',
          answer: multi ? { type: 'array', items: { type: 'string' } } : { type: 'string' },
          choices,
        },
      },
      {
        id: 'n2',
        type: 'question',
        config: { prompt: 'Name?', variable: 'name', answer: { type: 'string' } },
      },
    ],
  }) as FlowDocument;

describe('choice answers by label', () => {
  it('reads a stored value as its label, the newest version’s first, and leaves other answers alone', () => {
    const newest = asking([{ id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' }]);
    const older = asking([
      { id: 'c1', label: 'Cleaning', value: 'cleaning' },
      { id: 'c2', label: 'Whitening', value: 'whitening' },
    ]);
    const labels = choiceLabels([newest, older]);
    expect(answerByLabel(labels, 'service', 'cleaning')).toBe('Cleaning & check-up');
    expect(answerByLabel(labels, 'service', ['whitening', 'cleaning'])).toEqual([
      'Whitening',
      'Cleaning & check-up',
    ]);
    expect(answerByLabel(labels, 'service', 'gone')).toBe('gone');
    expect(answerByLabel(labels, 'name', 'cleaning')).toBe('cleaning');
  });

  it('matches a numeric value whichever way it was stored', () => {
    const labels = choiceLabels([asking([{ id: 'c1', label: 'Five stars', value: 5 }])]);
    expect(answerByLabel(labels, 'service', 5)).toBe('Five stars');
  });
});
