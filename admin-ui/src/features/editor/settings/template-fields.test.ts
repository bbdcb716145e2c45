import { describe, expect, it } from 'vitest';
import { fieldRoles } from './template-fields';

const sorted = (set: ReadonlySet<string>) => [...set].sort();

describe('fieldRoles', () => {
  it('finds the template fields each node type declares in its references', () => {
    expect(sorted(fieldRoles('message').templates)).toEqual(['media.caption', 'text']);
    expect(sorted(fieldRoles('question').templates)).toEqual(['prompt', 'retry.message']);
    expect(sorted(fieldRoles('end').templates)).toEqual(['text']);
    expect(sorted(fieldRoles('handoff').templates)).toEqual(['text']);
    expect(sorted(fieldRoles('http_request').templates)).toEqual(['body', 'headers.*', 'url']);
    expect(sorted(fieldRoles('set_variable').templates)).toEqual(['value']);
    expect(sorted(fieldRoles('condition').templates)).toEqual([]);
    expect(sorted(fieldRoles('delay').templates)).toEqual([]);
  });

  it('finds the fields that name a stored variable, but not a question’s own answer', () => {
    expect(sorted(fieldRoles('set_variable').names)).toEqual(['variable']);
    expect(sorted(fieldRoles('http_request').names)).toEqual(['saveAs']);
    expect(sorted(fieldRoles('question').names)).toEqual([]);
    expect(sorted(fieldRoles('message').names)).toEqual([]);
  });
});
