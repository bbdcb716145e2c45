import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '../flow/document.js';
import type { QuestionConfig } from '../nodes/question/index.js';
import { diffFlows } from './diff-flows.js';

const base = (): FlowDocument => ({
  schemaVersion: 1,
  name: 'Dental booking',
  settings: { timeZone: 'Europe/London' },
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'date' }],
  nodes: [
    {
      id: 'date',
      type: 'question',
      label: 'Preferred date',
      config: {
        prompt: 'Which day suits you?',
        variable: 'date',
        answer: { type: 'string', format: 'date' } as QuestionConfig['answer'],
      },
    },
    { id: 'n8', type: 'end', config: { text: 'See you then.' } },
  ],
  edges: [{ id: 'e1', source: 'date', sourceHandle: 'next', target: 'n8' }],
});

describe('diffFlows, in words', () => {
  it('names nodes by label or what they say, fields by their form titles, settings in words', () => {
    const after = base();
    const date = after.nodes[0] as Extract<FlowDocument['nodes'][number], { type: 'question' }>;
    date.config = { ...date.config, prompt: 'Which day?', retry: { message: 'Please write a date.' } };
    after.settings = { timeZone: 'Europe/Berlin' };
    after.edges.push({ id: 'e2', source: 'date', sourceHandle: 'invalid', target: 'n8' });
    expect(diffFlows(base(), after).map((change) => change.description)).toEqual([
      'Flow setting: the time zone changed',
      'Question “Preferred date”: “Question” changed',
      'Question “Preferred date”: “When the answer is not valid” changed',
      'Added connection from Question “Preferred date” (Invalid) to End “See you then.”',
    ]);
  });

  it('names a nested field by its parts: the retry message', () => {
    const before = base();
    const date = before.nodes[0] as Extract<FlowDocument['nodes'][number], { type: 'question' }>;
    date.config = { ...date.config, retry: { message: 'Please write a date.' } };
    const after = structuredClone(before);
    (after.nodes[0] as typeof date).config.retry = { message: 'A date, please, like 14/07/2025.' };
    expect(diffFlows(before, after).map((change) => change.description)).toEqual([
      'Question “Preferred date”: the retry message changed',
    ]);
  });

  it('never shows a bare id, a JSON pointer or a setting key', () => {
    const after = base();
    after.triggers = [{ id: 't1', type: 'keyword', keywords: ['hello'], target: 'date' }];
    const descriptions = diffFlows(base(), after).map((change) => change.description);
    expect(descriptions).toEqual(['start on “hello”: the keywords changed']);
    for (const text of descriptions) expect(text).not.toMatch(/\/|n8|timeZone/);
  });
});
