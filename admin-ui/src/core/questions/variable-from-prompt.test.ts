import { describe, expect, it } from 'vitest';
import { variableFromPrompt } from './variable-from-prompt';

const none = new Set<string>();

describe('a question’s variable from its prompt', () => {
  it.each([
    ['What is your name?', 'name'],
    ['What’s your email address?', 'email_address'],
    ['How many seats do you need?', 'seats_need'],
    ['Which service would you like, {{name}}?', 'service'],
    ['Préférence de café ?', 'preference_de_cafe'],
    ['2 or 3 rooms?', 'answer_2_3_rooms'],
    ['What is it?', 'answer'],
  ])('“%s” is saved as %s', (prompt, variable) => {
    expect(variableFromPrompt(prompt, none)).toBe(variable);
  });

  it('numbers the name when another block already saves under it', () => {
    expect(variableFromPrompt('Your name?', new Set(['name', 'name_2']))).toBe('name_3');
  });
});
