/**
 * The multi-question flow of the durability tests: name → email (with a retry) → plan (single
 * choice) → end, every reply templated with earlier answers so a lost or mixed-up answer shows
 * in the transcript.
 */
export const intakeFlow = {
  schemaVersion: 1,
  name: 'Intake',
  settings: { sessionTimeoutMinutes: 30, fallbackText: 'Sorry, something went wrong.' },
  triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
  nodes: [
    {
      id: 'n1',
      type: 'question',
      position: { x: 0, y: 0 },
      config: { prompt: "What's your name?", variable: 'name', answer: { type: 'string', minLength: 1 } },
    },
    {
      id: 'n2',
      type: 'question',
      position: { x: 0, y: 140 },
      config: {
        prompt: "Hi {{name}}, what's your email?",
        variable: 'email',
        answer: { type: 'string', format: 'email' },
        retry: { maxAttempts: 3, message: 'That is not an email. Try again?' },
      },
    },
    {
      id: 'n3',
      type: 'question',
      position: { x: 0, y: 280 },
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
    {
      id: 'n4',
      type: 'end',
      position: { x: 0, y: 420 },
      config: { text: 'Thanks {{name}}: {{email}} is on the {{plan}} plan.' },
    },
  ],
  edges: [
    { id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' },
    { id: 'e2', source: 'n2', sourceHandle: 'next', target: 'n3' },
    { id: 'e3', source: 'n3', sourceHandle: 'next', target: 'n4' },
  ],
};

/** One message of a contact and the bot texts it must get back, in order. */
export interface ScriptStep {
  id: string;
  text: string;
  replies: string[];
}

export interface Script {
  contact: string;
  steps: ScriptStep[];
  answers: Record<string, unknown>;
}

/** `count` contacts' walks through the intake flow, and how many messages they send in all. */
export function intakeScripts(count: number): { scripts: Script[]; total: number } {
  const scripts = Array.from({ length: count }, (_, i) => intakeScript(i));
  return { scripts, total: scripts.reduce((sum, script) => sum + script.steps.length, 0) };
}

/** Contact `i`'s walk through the intake flow; every third one mistypes the email first. */
export function intakeScript(i: number, tag = 'c'): Script {
  const contact = `+1555${tag}${String(i).padStart(5, '0')}`;
  const name = `Name ${i}`;
  const email = `user${i}@example.com`;
  const plan = i % 2 === 0 ? 'pro' : 'basic';
  const texts: [string, string[]][] = [
    ['hi', ["What's your name?"]],
    [name, [`Hi ${name}, what's your email?`]],
    ...(i % 3 === 0 ? [['not-an-email', ['That is not an email. Try again?']] as [string, string[]]] : []),
    [email, ['Pick a plan']],
    // By label for the even ones, by number for the odd ones.
    [plan === 'pro' ? 'Pro' : '1', [`Thanks ${name}: ${email} is on the ${plan} plan.`]],
  ];
  return {
    contact,
    steps: texts.map(([text, replies], index) => ({ id: `${contact}:${index}`, text, replies })),
    answers: { name, email, plan },
  };
}
