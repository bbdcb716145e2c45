import { FLOW_SCHEMA_VERSION, type FlowDocument } from '@parley/schemas';

/** The draft of a new flow: a greeting message triggered by any message, ready to extend. */
export function blankFlow(name: string): FlowDocument {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    name,
    settings: { sessionTimeoutMinutes: 30 },
    triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
    nodes: [
      { id: 'n1', type: 'message', position: { x: 0, y: 0 }, config: { text: 'Hello {{contact.name}}!' } },
      { id: 'n2', type: 'end', position: { x: 0, y: 160 }, config: { text: 'Bye!' } },
    ],
    edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
  };
}
