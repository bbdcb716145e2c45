import { Globe } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const httpRequestUi: NodeUi<'http_request'> = {
  icon: Globe,
  accent: 'bg-cyan-100 text-cyan-700',
  help: 'httpRequest',
  summary: (config) => `${config.method ?? 'GET'} ${truncate(config.url, 60)}`,
  detail: (config) => (config.saveAs ? `Reply saved as {{${config.saveAs}}}` : null),
};
