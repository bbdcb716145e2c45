import { Headset } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const handoffUi: NodeUi<'handoff'> = {
  icon: Headset,
  accent: 'bg-rose-100 text-rose-700',
  summary: (config) => (config.text ? truncate(config.text) : 'Hands the chat to a person'),
  detail: () => 'The bot goes quiet while a person answers',
};
