/** Flow Documents the tests publish and run. */

export function intakeFlow(name = 'Intake') {
  return {
    schemaVersion: 1,
    name,
    triggers: [{ id: 't1', type: 'keyword', keywords: ['hi'], target: 'n1' }],
    nodes: [
      { id: 'n1', type: 'message', config: { text: 'Hi {{contact.name}}!' } },
      {
        id: 'n2',
        type: 'question',
        config: {
          prompt: 'What’s your email?',
          variable: 'email',
          answer: { type: 'string', format: 'email' },
        },
      },
      {
        id: 'n3',
        type: 'question',
        config: {
          prompt: 'Pick a plan',
          variable: 'plan',
          answer: { type: 'string', enum: ['basic', 'pro'] },
          choices: [
            { id: 'c1', label: 'Basic', value: 'basic' },
            { id: 'c2', label: 'Pro', value: 'pro' },
          ],
        },
      },
      { id: 'n4', type: 'end', config: { text: 'Thanks, {{contact.name}}!' } },
    ],
    edges: [
      { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
      { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
      { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
    ],
  };
}

/** "help" hands off to a human; "hi" greets and ends. */
export function handoffFlow() {
  return {
    schemaVersion: 1,
    name: 'Support',
    triggers: [
      { id: 't1', type: 'keyword', keywords: ['help'], target: 'h1' },
      { id: 't2', type: 'keyword', keywords: ['hi'], target: 'm1' },
    ],
    nodes: [
      { id: 'h1', type: 'handoff', config: { text: 'A human will take over.' } },
      { id: 'm1', type: 'message', config: { text: 'Hello again!' } },
      { id: 'x1', type: 'end', config: { text: 'Bye.' } },
    ],
    edges: [{ id: 'e1', source: 'm1', sourceHandle: 'next', target: 'x1' }],
  };
}

/** "crm" calls `url` and reports what it answered. */
export function httpFlow(url: string) {
  return {
    schemaVersion: 1,
    name: 'CRM',
    triggers: [{ id: 't1', type: 'keyword', keywords: ['crm'], target: 'r1' }],
    nodes: [
      {
        id: 'r1',
        type: 'http_request',
        config: { url, method: 'POST', body: '{"lead":true}', saveAs: 'crm' },
      },
      { id: 'ok', type: 'end', config: { text: 'Saved as {{crm.body.id}}.' } },
      { id: 'ko', type: 'end', config: { text: 'The CRM failed ({{crm.status}}).' } },
    ],
    edges: [
      { id: 'e1', source: 'r1', sourceHandle: 'success', target: 'ok' },
      { id: 'e2', source: 'r1', sourceHandle: 'failure', target: 'ko' },
    ],
  };
}

/** A draft that cannot run: its trigger points at a missing node. */
export function brokenFlow() {
  return {
    schemaVersion: 1,
    name: 'Broken',
    triggers: [{ id: 't1', type: 'any_message', target: 'missing' }],
    nodes: [{ id: 'n1', type: 'end', config: {} }],
    edges: [],
  };
}
