import { Split } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { BranchesWidget } from './BranchesWidget';

export const conditionUi: NodeUi<'condition'> = {
  icon: Split,
  accent: 'bg-amber-100 text-amber-700',
  widgets: { branches: BranchesWidget },
  summary: (config) =>
    `${config.branches.length} branch${config.branches.length === 1 ? '' : 'es'}, checked in order, else the last`,
};
