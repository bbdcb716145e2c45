import { Variable } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const setVariableUi: NodeUi<'set_variable'> = {
  icon: Variable,
  accent: 'bg-slate-200 text-slate-700',
  summary: (config) => `{{${config.variable}}} = ${truncate(config.value || '(empty)', 60)}`,
  detail: (config) => (config.as === 'number' ? 'Stored as a number' : null),
};
