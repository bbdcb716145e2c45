// Generated Flow Documents for the benchmarks, with the answers a contact gives to walk them.

/**
 * The kinds of node the chain cycles through. Each `make(i, id, next)` returns the node and the
 * edges leaving it; `answers(i)` are the replies its question gets (an invalid one first, sometimes).
 */
const PATTERN = [
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'message',
        config: {
          text: i === 0 ? 'Welcome, {{contact.name}}!' : `Step ${i}. Your plan so far: {{plan_${i - 3}}}`,
        },
      },
      edges: [[id, 'next', next]],
    }),
  },
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'question',
        config: { prompt: 'Your name?', variable: `name_${i}`, answer: { type: 'string', minLength: 2 } },
      },
      edges: [[id, 'next', next]],
    }),
    answers: () => ['Ana Souza'],
  },
  {
    make: (i, id, next) => ({
      node: { id, type: 'set_variable', config: { variable: `tag_${i}`, value: `{{name_${i - 1}}}-lead` } },
      edges: [[id, 'next', next]],
    }),
  },
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'question',
        config: {
          prompt: 'How many units?',
          variable: `qty_${i}`,
          answer: { type: 'number', minimum: 0, maximum: 1000 },
          retry: { maxAttempts: 3, message: 'A number between 0 and 1000, please.' },
        },
      },
      edges: [[id, 'next', next]],
    }),
    answers: (i) => (i % 16 === 3 ? ['lots', '12,5'] : [String(i % 20)]),
  },
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'condition',
        config: {
          branches: [
            { id: 'big', when: { all: [{ var: `qty_${i - 1}`, op: 'gte', value: 10 }] } },
            {
              id: 'tagged',
              when: {
                any: [
                  { var: `tag_${i - 2}`, op: 'contains', value: 'lead' },
                  { var: `qty_${i - 1}`, op: 'in', value: [1, 2, 3] },
                ],
              },
            },
          ],
        },
      },
      edges: [
        [id, 'big', next],
        [id, 'tagged', next],
        [id, 'else', next],
      ],
    }),
  },
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'question',
        config: {
          prompt: 'Pick a plan',
          variable: `plan_${i}`,
          answer: { type: 'string', enum: ['basic', 'pro', 'team'] },
          choices: [
            { id: 'c1', label: 'Basic', value: 'basic' },
            { id: 'c2', label: 'Pro', value: 'pro' },
            { id: 'c3', label: 'Team', value: 'team' },
          ],
        },
      },
      edges: [
        [id, 'c1', next],
        [id, 'next', next],
      ],
    }),
    answers: (i) => [['Basic', 'pro', '3'][i % 3]],
  },
  {
    make: (i, id, next) => ({
      node: {
        id,
        type: 'question',
        config: {
          prompt: 'Your email?',
          variable: `email_${i}`,
          answer: { type: 'string', format: 'email' },
          retry: { message: 'That does not look like an email.' },
          skippable: true,
        },
      },
      edges: [[id, 'next', next]],
    }),
    answers: (i) => (i % 3 === 0 ? ['not an email', `ana.${i}@example.com`] : [`ana.${i}@example.com`]),
  },
  {
    make: (_i, id, next) => ({ node: { id, type: 'jump', config: { target: next } }, edges: [] }),
  },
];

/**
 * A valid flow of `size` nodes: a keyword trigger, then a chain cycling through message, question
 * (text, number, choice, email), set_variable, condition and jump nodes, ending in an `end`.
 */
export function chainFlow(size, { keyword = 'start' } = {}) {
  const nodes = [];
  const edges = [];
  const script = [keyword];
  for (let i = 0; i < size - 1; i++) {
    const kind = PATTERN[i % PATTERN.length];
    const { node, edges: leaving } = kind.make(i, `n${i}`, `n${i + 1}`);
    nodes.push({ ...node, position: { x: 0, y: i * 120 } });
    for (const [source, sourceHandle, target] of leaving) {
      edges.push({ id: `e${edges.length + 1}`, source, sourceHandle, target });
    }
    if (kind.answers !== undefined) script.push(...kind.answers(i));
  }
  nodes.push({
    id: `n${size - 1}`,
    type: 'end',
    position: { x: 0, y: (size - 1) * 120 },
    config: { text: 'Thanks {{contact.name}}!' },
  });
  const flow = {
    schemaVersion: 1,
    name: `Generated ${size}-node flow`,
    settings: { sessionTimeoutMinutes: 30, fallbackText: 'Sorry, something went wrong.' },
    triggers: [
      { id: 't1', type: 'keyword', keywords: [keyword, 'hi'], match: 'exact', target: 'n0' },
      { id: 't2', type: 'keyword', keywords: ['menu'], interrupt: true, target: 'n0' },
    ],
    nodes,
    edges,
  };
  return { flow, script };
}
