import { FLOW_TEMPLATES } from '@parley/schemas';
import { documentToCanvas } from '@/core/canvas';
import { createEditorStore } from '../editor-store';

/** A fresh editor store with the first template loaded, editable. */
export function storeWithTemplate() {
  const store = createEditorStore();
  const template = FLOW_TEMPLATES[0];
  if (template === undefined) throw new Error('No flow template to load');
  store.getState().load(documentToCanvas(template.document), { flowId: 'f1', etag: '"1"', readOnly: false });
  return store;
}

export const ids = (items: { id: string }[]) => items.map((item) => item.id);
