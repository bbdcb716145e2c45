import { MessageSquare } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const messageUi: NodeUi<'message'> = {
  icon: MessageSquare,
  accent: 'bg-sky-100 text-sky-700',
  summary: (config) =>
    config.text ? truncate(config.text) : config.media ? `Sends a ${config.media.kind}` : 'Empty message',
  detail: (config) => (config.text && config.media ? `+ ${config.media.kind} attachment` : null),
};
