import { describe, expect, it } from 'vitest';
import type { FlowVariable } from './flow-variables';
import { insertVariable, openPlaceholder, searchVariables } from './template-insert';

describe('openPlaceholder', () => {
  it('finds the {{ just typed, with the part of a name after it', () => {
    expect(openPlaceholder('Hi {{', 5)).toEqual({ start: 3, query: '' });
    expect(openPlaceholder('Hi {{em', 7)).toEqual({ start: 3, query: 'em' });
    expect(openPlaceholder('Hi {{ contact.na', 16)).toEqual({ start: 3, query: 'contact.na' });
  });

  it('is null outside a placeholder', () => {
    expect(openPlaceholder('Hi {{email}} ', 13)).toBeNull();
    expect(openPlaceholder('Hi {{email}}', 12)).toBeNull();
    expect(openPlaceholder('Hi {name', 8)).toBeNull();
    expect(openPlaceholder('Hi {{first name', 15)).toBeNull();
    expect(openPlaceholder('', 0)).toBeNull();
  });

  it('reads only the text before the caret', () => {
    expect(openPlaceholder('Hi {{ and more', 5)).toEqual({ start: 3, query: '' });
  });
});

describe('insertVariable', () => {
  it('replaces the typed {{ and name with the whole placeholder, caret after it', () => {
    expect(insertVariable('Hi {{em!', 3, 7, 'email')).toEqual({ text: 'Hi {{email}}!', caret: 12 });
  });

  it('inserts at the caret, or in place of the selected text', () => {
    expect(insertVariable('Hi !', 3, 3, 'contact.name')).toEqual({
      text: 'Hi {{contact.name}}!',
      caret: 19,
    });
    expect(insertVariable('Hi NAME!', 3, 7, 'name')).toEqual({ text: 'Hi {{name}}!', caret: 11 });
    expect(insertVariable('', 0, 0, 'x')).toEqual({ text: '{{x}}', caret: 5 });
  });

  it('does not double a closing }} already there', () => {
    expect(insertVariable('Hi {{em}}!', 3, 7, 'email')).toEqual({ text: 'Hi {{email}}!', caret: 12 });
    expect(insertVariable('Hi {{ }}', 3, 6, 'age')).toEqual({ text: 'Hi {{age}}', caret: 10 });
  });
});

describe('searchVariables', () => {
  const variables: FlowVariable[] = [
    { name: 'service', kind: 'one of 2 choices', from: 'Which service?' },
    { name: 'email', kind: 'email address', from: 'Your email?' },
    { name: 'contact.name', kind: 'text', from: 'the contact’s WhatsApp name' },
  ];
  const names = (search: string) => searchVariables(variables, search).map((variable) => variable.name);

  it('offers everything for an empty search', () => {
    expect(names('')).toEqual(['service', 'email', 'contact.name']);
  });

  it('matches name, kind and origin, case-insensitively, names starting with the search first', () => {
    expect(names('EMAIL')).toEqual(['email']);
    expect(names('choices')).toEqual(['service']);
    expect(names('na')).toEqual(['contact.name']);
    expect(names('e')).toEqual(['email', 'service', 'contact.name']);
    expect(names('zzz')).toEqual([]);
  });
});
