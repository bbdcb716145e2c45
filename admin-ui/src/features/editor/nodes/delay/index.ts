import { Timer } from 'lucide-react';
import type { NodeUi } from '../node-ui';

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  if (seconds < 3600) return `${Math.round(seconds / 6) / 10} min`;
  if (seconds < 86400) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} days`;
}

export const delayUi: NodeUi<'delay'> = {
  icon: Timer,
  accent: 'bg-slate-200 text-slate-700',
  summary: (config) => `Waits ${duration(config.seconds)}`,
};
