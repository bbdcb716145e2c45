import { type Static, Type } from '@sinclair/typebox';
import { error } from '../../validation/problem.js';
import { defineNode } from '../node-definition.js';
import { noReferences } from '../shared.js';

export const JumpConfig = Type.Object(
  { target: Type.String({ minLength: 1, description: 'Id of the node to continue at' }) },
  { additionalProperties: false },
);
export type JumpConfig = Static<typeof JumpConfig>;

export const jumpNode = defineNode({
  type: 'jump',
  title: 'Go to',
  description: 'Continues at another node, e.g. to ask again.',
  category: 'logic',
  configSchema: JumpConfig,
  settingsUi: {
    'ui:order': ['target'],
    target: { 'ui:widget': 'node', 'ui:title': 'Go to node' },
  },
  defaults: () => ({ target: '' }),
  handles: () => [],
  references: noReferences,
  successors: (config) => [config.target],
  retarget: (config, rename) => ({ ...config, target: rename(config.target) }),
  check: (config, ctx) =>
    ctx.nodeIds.has(config.target)
      ? []
      : [
          error(
            `${ctx.pointer}/config/target`,
            'The block it goes to no longer exists. Pick the block to go to.',
          ),
        ],
});
