import { createContext, useContext } from 'react';
import type { NodeWidget } from '../nodes/node-ui';
import type { FormValues } from './schema-form';
import type { FieldRoles } from './template-fields';

/** What a settings widget may do besides editing its own field. */
export interface SettingsFormContext {
  nodeId: string;
  readOnly: boolean;
  /** The node type's own widgets, for fields whose `ui:widget` is `own`. */
  widgets: Partial<Record<string, NodeWidget>>;
  /** Which fields hold `{{…}}` templates and which name a stored variable. */
  roles: FieldRoles;
  /** Replaces several settings at once (answer type, choices): one undo step, one save. */
  patch: (changes: FormValues, field: string) => void;
}

export const SettingsContext = createContext<SettingsFormContext | null>(null);

export function useSettingsContext(): SettingsFormContext {
  const context = useContext(SettingsContext);
  if (context === null) throw new Error('Settings widgets must be inside a settings form');
  return context;
}
