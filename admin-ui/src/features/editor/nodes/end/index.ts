import { Flag } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const endUi: NodeUi<'end'> = {
  icon: Flag,
  accent: 'bg-emerald-100 text-emerald-700',
  summary: (config) => (config.text ? truncate(config.text) : 'Ends the conversation'),
  detail: () => 'Answers are saved',
};
