import { describe, expect, it } from 'vitest';
import { deriveForm } from '../form/derive-form.js';
import type { Choice } from '../nodes/question/index.js';
import { validateFlow } from '../validation/validate-flow.js';
import { blankDocument, FLOW_TEMPLATES, fromTemplate } from './index.js';

describe('built-in templates', () => {
  it.each(FLOW_TEMPLATES.map((template) => [template.id, template] as const))(
    '%s is a valid Flow Document without warnings',
    (_id, template) => {
      const { errors, warnings } = validateFlow(template.document);
      expect(errors).toEqual([]);
      expect(warnings).toEqual([]);
    },
  );

  it('ask what their descriptions say', () => {
    const order = (index: number) => deriveForm(FLOW_TEMPLATES[index]!.document).uiSchema['ui:order'];
    expect(order(0)).toEqual(['name', 'email', 'interest']);
    expect(order(1)).toEqual(['service', 'date', 'slot', 'phone']);
    expect(order(2)).toEqual(['score', 'highlight', 'improvement']);
  });

  it('takes the chosen name, without changing the template', () => {
    const copy = fromTemplate(FLOW_TEMPLATES[0]!, 'Website leads');
    expect(copy.name).toBe('Website leads');
    expect(FLOW_TEMPLATES[0]!.document.name).toBe('Lead capture');
  });

  it('a blank flow is valid and empty', () => {
    const blank = blankDocument('Empty');
    expect(validateFlow(blank).errors).toEqual([]);
    expect(blank.nodes).toEqual([]);
  });

  it('store each choice as its label, so answers and exports read as the contact saw them', () => {
    const choices = FLOW_TEMPLATES.flatMap((template) =>
      template.document.nodes.flatMap((node) => (node.config as { choices?: Choice[] }).choices ?? []),
    );
    expect(choices.length).toBeGreaterThan(0);
    for (const choice of choices) expect(choice.value).toBe(choice.label);
  });
});
