import type { FlowDocument } from '../flow/document.js';
import { answer } from './answer.js';

/** Greets, asks name, email (with a retry) and what the lead is interested in. */
export const leadCapture: FlowDocument = {
  schemaVersion: 1,
  name: 'Lead capture',
  settings: {
    sessionTimeoutMinutes: 30,
    fallbackText: 'Sorry, something went wrong. Say “hi” to start again.',
  },
  triggers: [{ id: 't1', type: 'keyword', keywords: ['hi', 'hello', 'start'], match: 'exact', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'message',
      position: { x: 0, y: 0 },
      config: {
        text: 'Hi {{contact.name}}! 👋 Thanks for reaching out. A few quick questions so we can help you.',
      },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 340, y: 0 },
      config: {
        prompt: 'What’s your name?',
        variable: 'name',
        answer: answer({ type: 'string', minLength: 1, maxLength: 100 }),
        ui: { widget: 'text', label: 'Name', placeholder: 'Ana Silva' },
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 680, y: 0 },
      config: {
        prompt: 'What’s your email address?',
        variable: 'email',
        answer: answer({ type: 'string', format: 'email' }),
        retry: { maxAttempts: 3, message: 'That doesn’t look like an email address. Could you check it?' },
        ui: { widget: 'email', label: 'Email', placeholder: 'you@example.com', help: 'We reply there.' },
      },
    },
    {
      id: 'n4',
      type: 'question',
      position: { x: 1020, y: 0 },
      config: {
        prompt: 'What are you interested in?',
        variable: 'interest',
        answer: answer({ type: 'string', enum: ['Pricing', 'A demo', 'Something else'] }),
        choices: [
          { id: 'c1', label: 'Pricing', value: 'Pricing' },
          { id: 'c2', label: 'A demo', value: 'A demo' },
          { id: 'c3', label: 'Something else', value: 'Something else' },
        ],
        render: 'list',
        ui: { widget: 'radio', label: 'Interested in' },
      },
    },
    {
      id: 'n5',
      type: 'end',
      position: { x: 1360, y: 0 },
      config: { text: 'Thanks {{name}}! We’ll email you at {{email}} within one business day.' },
    },
    {
      id: 'help',
      type: 'handoff',
      position: { x: 1360, y: 220 },
      config: { text: 'Let’s get a person to help. Someone from our team will answer you here soon.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
    { id: 'e4', source: 'n4', sourceHandle: 'next', target: 'n5' },
    { id: 'e5', source: 'n2', sourceHandle: 'invalid', target: 'help' },
    { id: 'e6', source: 'n3', sourceHandle: 'invalid', target: 'help' },
    { id: 'e7', source: 'n4', sourceHandle: 'invalid', target: 'help' },
  ],
};
