import { nodeDefinition } from '@parley/schemas';
import { Timer } from 'lucide-react';
import type { NodeUi } from '../node-ui';

export const delayUi: NodeUi<'delay'> = {
  icon: Timer,
  accent: 'bg-slate-200 text-slate-700',
  summary: (config) => `Waits ${nodeDefinition('delay').summary?.(config) ?? ''}`,
};
