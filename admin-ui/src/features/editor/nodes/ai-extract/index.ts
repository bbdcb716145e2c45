import { ScanText } from 'lucide-react';
import { ModelWidget } from '../ai-model/ModelWidget';
import { ProviderWidget } from '../ai-model/ProviderWidget';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';
import { FieldsWidget } from './FieldsWidget';

export const aiExtractUi: NodeUi<'ai_extract'> = {
  icon: ScanText,
  accent: 'bg-fuchsia-100 text-fuchsia-700',
  widgets: { credentialId: ProviderWidget, model: ModelWidget, fields: FieldsWidget },
  summary: (config) =>
    truncate(
      `Fills ${config.fields.map((field) => `{{${field.name}}}`).join(', ')} from ${
        config.imageFrom
          ? `the photo in {{${config.imageFrom}}}`
          : config.source
            ? 'a text'
            : 'the last answer'
      }`,
    ),
  detail: (config) => config.model || 'No model picked',
};
