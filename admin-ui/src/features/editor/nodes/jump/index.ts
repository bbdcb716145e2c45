import { CornerDownRight } from 'lucide-react';
import type { NodeUi } from '../node-ui';

export const jumpUi: NodeUi<'jump'> = {
  icon: CornerDownRight,
  accent: 'bg-slate-200 text-slate-700',
  summary: (config) => (config.target ? `Continues at ${config.target}` : 'Pick the block to go to'),
};
