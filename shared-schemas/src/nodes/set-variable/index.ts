import { type Static, Type } from '@sinclair/typebox';
import { defineNode } from '../node-definition.js';
import { NEXT_HANDLE, VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';

export const SetVariableConfig = Type.Object(
  {
    variable: VariableName,
    value: Type.String({ maxLength: 4096 }),
    as: Type.Optional(StringEnum(['string', 'number'])),
  },
  { additionalProperties: false },
);
export type SetVariableConfig = Static<typeof SetVariableConfig>;

export const setVariableNode = defineNode({
  type: 'set_variable',
  title: 'Set variable',
  description: 'Stores a text (with {{templates}}) or a number in a variable.',
  category: 'logic',
  configSchema: SetVariableConfig,
  settingsUi: {
    'ui:order': ['variable', 'value', 'as'],
    variable: { 'ui:title': 'Variable', 'ui:placeholder': 'segment' },
    value: { 'ui:title': 'Value', 'ui:help': 'Text; {{variable}} inserts another value.' },
    as: {
      'ui:widget': 'select',
      'ui:title': 'Store as',
      'ui:help': 'Number stores nothing when the text is not a number.',
    },
  },
  defaults: () => ({ variable: 'tag', value: '' }),
  handles: () => NEXT_HANDLE,
  references: (config) => ({
    templates: [{ pointer: '/value', text: config.value }],
    reads: [],
    defines: [config.variable],
  }),
});
