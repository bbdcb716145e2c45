import { Tags } from 'lucide-react';
import { ModelWidget } from '../ai-model/ModelWidget';
import { ProviderWidget } from '../ai-model/ProviderWidget';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';
import { CategoriesWidget } from './CategoriesWidget';

export const aiClassifyUi: NodeUi<'ai_classify'> = {
  icon: Tags,
  accent: 'bg-fuchsia-100 text-fuchsia-700',
  widgets: { credentialId: ProviderWidget, model: ModelWidget, categories: CategoriesWidget },
  summary: (config) =>
    truncate(`By intent: ${config.categories.map((category) => category.name).join(', ')}`),
  detail: (config) =>
    [config.model || 'No model picked', config.saveAs ? `saved as {{${config.saveAs}}}` : null]
      .filter(Boolean)
      .join(' · '),
};
