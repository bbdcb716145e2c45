import type { FlowNode } from '@parley/schemas';
import { describe, expect, it } from 'vitest';
import { flowVariables, operatorsFor } from './flow-variables';

const nodes = [
  {
    type: 'question',
    config: {
      prompt: 'Which service?',
      variable: 'service',
      answer: { type: 'string', enum: ['cleaning', 'emergency'] },
      choices: [
        { id: 'c1', label: 'Cleaning & check-up', value: 'cleaning' },
        { id: 'c2', label: 'Emergency / tooth pain', value: 'emergency' },
      ],
    },
  },
  { type: 'question', config: { prompt: 'How old are you?', variable: 'age', answer: { type: 'integer' } } },
  { type: 'question', config: { prompt: 'Again?', variable: 'age', answer: { type: 'integer' } } },
  { type: 'set_variable', config: { variable: 'score', value: '1' } },
  { type: 'http_request', config: { url: 'https://crm.example.com', saveAs: 'crm' } },
] as Pick<FlowNode, 'type' | 'config'>[];

describe('flowVariables', () => {
  it('lists what the flow defines once, with what each holds and where it comes from', () => {
    const found = flowVariables(nodes).map(({ name, kind, from }) => [name, kind, from]);
    expect(found).toEqual([
      ['service', 'one of 2 choices', 'Which service?'],
      ['age', 'whole number', 'How old are you?'],
      ['score', 'value', 'Set variable'],
      ['crm', 'value', 'HTTP request'],
      ['contact.name', 'text', 'the contact’s WhatsApp name'],
      ['contact.phone', 'phone number', 'the contact’s WhatsApp number'],
      ['flow.name', 'text', 'this flow'],
    ]);
  });
});

describe('operatorsFor', () => {
  it('offers only the comparisons that fit the answer', () => {
    const [service, age, score] = flowVariables(nodes);
    expect(operatorsFor(service)).toEqual(['eq', 'neq', 'in', 'is_set', 'is_empty']);
    expect(operatorsFor(age)).toContain('gt');
    expect(operatorsFor(age)).not.toContain('matches');
    expect(operatorsFor(score)).toContain('matches');
    expect(operatorsFor(undefined)).toContain('gt');
  });
});
