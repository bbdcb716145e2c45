import type { FlowDocument } from '../flow/document.js';
import { answer } from './answer.js';

/** Asks for a service, a day, a time of day and a phone number to confirm on. */
export const appointmentRequest: FlowDocument = {
  schemaVersion: 1,
  name: 'Appointment request',
  settings: {
    sessionTimeoutMinutes: 60,
    reminder: { afterMinutes: 15, text: 'Still there? Reply to continue booking.' },
  },
  triggers: [
    { id: 't1', type: 'keyword', keywords: ['appointment', 'book'], match: 'contains', target: 'n1' },
  ],
  nodes: [
    {
      id: 'n1',
      type: 'message',
      position: { x: 0, y: 0 },
      config: { text: 'Let’s book your appointment. It takes less than a minute.' },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 340, y: 0 },
      config: {
        prompt: 'Which service do you need?',
        variable: 'service',
        answer: answer({ type: 'string', enum: ['Consultation', 'Follow-up', 'Check-up'] }),
        choices: [
          { id: 'c1', label: 'Consultation', value: 'Consultation' },
          { id: 'c2', label: 'Follow-up', value: 'Follow-up' },
          { id: 'c3', label: 'Check-up', value: 'Check-up' },
        ],
        render: 'list',
        ui: { widget: 'radio', label: 'Service' },
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 680, y: 0 },
      config: {
        prompt: 'Which day suits you? Please write it as YYYY-MM-DD, e.g. 2026-12-01.',
        variable: 'date',
        answer: answer({ type: 'string', format: 'date' }),
        retry: { maxAttempts: 3, message: 'Please write the day as YYYY-MM-DD, e.g. 2026-12-01.' },
        ui: { widget: 'date', label: 'Preferred day' },
      },
    },
    {
      id: 'n4',
      type: 'question',
      position: { x: 1020, y: 0 },
      config: {
        prompt: 'Morning or afternoon?',
        variable: 'slot',
        answer: answer({ type: 'string', enum: ['Morning', 'Afternoon'] }),
        choices: [
          { id: 'c1', label: 'Morning', value: 'Morning' },
          { id: 'c2', label: 'Afternoon', value: 'Afternoon' },
        ],
        render: 'poll',
        ui: { widget: 'radio', label: 'Time of day' },
      },
    },
    {
      id: 'n5',
      type: 'question',
      position: { x: 1360, y: 0 },
      config: {
        prompt: 'What number should we call to confirm? Include the country code, e.g. +44 20 7946 0958.',
        variable: 'phone',
        answer: answer({ type: 'string', format: 'phone' }),
        retry: {
          maxAttempts: 3,
          message: 'That number doesn’t look right. Please include the country code.',
        },
        ui: { widget: 'phone', label: 'Phone', placeholder: '+44 20 7946 0958' },
      },
    },
    {
      id: 'n6',
      type: 'end',
      position: { x: 1700, y: 0 },
      config: { text: 'Thanks! We’ll call {{phone}} to confirm your {{service}} on {{date}} ({{slot}}).' },
    },
    {
      id: 'help',
      type: 'handoff',
      position: { x: 1700, y: 220 },
      config: { text: 'Let’s get a person to help. Someone from our team will answer you here soon.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
    { id: 'e4', source: 'n4', sourceHandle: 'next', target: 'n5' },
    { id: 'e5', source: 'n5', sourceHandle: 'next', target: 'n6' },
    { id: 'e6', source: 'n2', sourceHandle: 'invalid', target: 'help' },
    { id: 'e7', source: 'n3', sourceHandle: 'invalid', target: 'help' },
    { id: 'e8', source: 'n4', sourceHandle: 'invalid', target: 'help' },
    { id: 'e9', source: 'n5', sourceHandle: 'invalid', target: 'help' },
  ],
};
