import { describe, expect, it } from 'vitest';
import { suggestedName } from './variable-name';

describe('suggestedName', () => {
  it('joins words with _ and drops what a name cannot hold', () => {
    expect(suggestedName('first name')).toBe('first_name');
    expect(suggestedName('  e-mail address! ')).toBe('e_mail_address');
    expect(suggestedName('crm.body')).toBe('crm_body');
  });

  it('keeps a name that is already fine, and never starts with a digit', () => {
    expect(suggestedName('segment')).toBe('segment');
    expect(suggestedName('2nd choice')).toBe('_2nd_choice');
    expect(suggestedName('¿?')).toBe('');
  });
});
