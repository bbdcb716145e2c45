import type { FlowDocument } from '../flow/document.js';
import { answer } from './answer.js';

/** A 1–5 score, then a follow-up question that depends on it. */
export const customerSatisfaction: FlowDocument = {
  schemaVersion: 1,
  name: 'Customer satisfaction survey',
  settings: { sessionTimeoutMinutes: 1440 },
  triggers: [{ id: 't1', type: 'keyword', keywords: ['feedback', 'survey'], match: 'exact', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 60 },
      config: {
        prompt:
          'How satisfied are you with our service? Reply with a number from 1 (not at all) to 5 (very).',
        variable: 'score',
        answer: answer({ type: 'integer', minimum: 1, maximum: 5 }),
        retry: { maxAttempts: 3, message: 'Please reply with a number from 1 to 5.' },
        ui: { widget: 'rating', label: 'Satisfaction' },
      },
    },
    {
      id: 'n2',
      type: 'condition',
      position: { x: 340, y: 60 },
      config: {
        branches: [
          { id: 'b1', label: 'Happy (4–5)', when: { all: [{ var: 'score', op: 'gte', value: 4 }] } },
        ],
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 680, y: -60 },
      config: {
        prompt: 'Wonderful! What did you like most?',
        variable: 'highlight',
        answer: answer({ type: 'string', maxLength: 1000 }),
        skippable: true,
        ui: { widget: 'textarea', label: 'What you liked', help: 'Optional.' },
      },
    },
    {
      id: 'n4',
      type: 'question',
      position: { x: 680, y: 180 },
      config: {
        prompt: 'Sorry to hear that. What could we do better?',
        variable: 'improvement',
        answer: answer({ type: 'string', maxLength: 1000 }),
        skippable: true,
        ui: { widget: 'textarea', label: 'What we could do better', help: 'Optional.' },
      },
    },
    {
      id: 'n5',
      type: 'end',
      position: { x: 1020, y: 60 },
      config: { text: 'Thank you for your feedback! 🙏' },
    },
    {
      id: 'help',
      type: 'handoff',
      position: { x: 1020, y: 280 },
      config: { text: 'Let’s get a person to help. Someone from our team will answer you here soon.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'b1', target: 'n3' },
    { id: 'e3', source: 'n2', sourceHandle: 'else', target: 'n4' },
    { id: 'e4', source: 'n3', sourceHandle: 'next', target: 'n5' },
    { id: 'e5', source: 'n4', sourceHandle: 'next', target: 'n5' },
    { id: 'e6', source: 'n1', sourceHandle: 'invalid', target: 'help' },
    { id: 'e7', source: 'n3', sourceHandle: 'invalid', target: 'help' },
    { id: 'e8', source: 'n4', sourceHandle: 'invalid', target: 'help' },
  ],
};
