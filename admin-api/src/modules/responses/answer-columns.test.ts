import { describe, expect, it } from 'vitest';
import { answerColumns } from './answer-columns.js';

const version = (nodes: unknown[]) => ({
  version: 1,
  status: 'published' as const,
  definition: {
    schemaVersion: 1,
    name: 'Clinic',
    triggers: [{ id: 't1', type: 'any_message', target: 'ask' }],
    nodes,
    edges: [],
  },
});

describe('answerColumns', () => {
  it('adds the answers an AI block stores after the questions, with their types and personal data', () => {
    const columns = answerColumns([
      version([
        {
          id: 'ask',
          type: 'question',
          config: { prompt: 'What do you need?', variable: 'need', answer: { type: 'string' } },
        },
        {
          id: 'read',
          type: 'ai_extract',
          config: {
            credentialId: 'c1',
            model: 'gpt-4o-mini',
            fields: [
              { name: 'day', description: 'The day of the visit', type: 'date', required: true },
              { name: 'email', description: '', type: 'email' },
              { name: 'need', description: 'Asked already', type: 'text' },
            ],
          },
        },
        {
          id: 'route',
          type: 'ai_classify',
          config: {
            credentialId: 'c1',
            model: 'gpt-4o-mini',
            saveAs: 'intent',
            categories: [{ id: 'b', name: 'Booking', description: '' }],
          },
        },
      ]),
    ]);
    expect(columns).toEqual([
      { variable: 'need', title: 'What do you need?', type: 'string', personal: null },
      { variable: 'day', title: 'The day of the visit', type: 'string', personal: null },
      { variable: 'email', title: 'email', type: 'string', personal: 'email' },
      { variable: 'intent', title: 'Category', type: 'string', personal: null },
    ]);
  });
});
