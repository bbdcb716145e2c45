import { Bot } from 'lucide-react';
import { ModelWidget } from '../ai-model/ModelWidget';
import { ProviderWidget } from '../ai-model/ProviderWidget';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';
import { SaveVariablesWidget } from './SaveVariablesWidget';
import { ToolsWidget } from './ToolsWidget';

export const aiReplyUi: NodeUi<'ai_reply'> = {
  icon: Bot,
  accent: 'bg-fuchsia-100 text-fuchsia-700',
  widgets: {
    credentialId: ProviderWidget,
    model: ModelWidget,
    saveVariables: SaveVariablesWidget,
    tools: ToolsWidget,
  },
  summary: (config) => truncate(`Until: ${config.goal}`),
  detail: (config) => {
    const tools = config.tools?.length ?? 0;
    const saved = config.saveVariables?.length ?? 0;
    return [
      config.model || 'No model picked',
      tools > 0 ? `${tools} tool${tools === 1 ? '' : 's'}` : null,
      saved > 0
        ? `saves ${config.saveVariables?.map((variable) => `{{${variable.name}}}`).join(', ')}`
        : null,
    ]
      .filter(Boolean)
      .join(' · ');
  },
};
