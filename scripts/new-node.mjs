#!/usr/bin/env node
/**
 * Scaffolds a node type: `npm run new:node -- <type>` writes its schema, executor and editor
 * modules, adds it to the three registries, and adds an engine test, a scenario and a docs
 * section. The new type sends its text and continues at `next`: a working start to edit.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.env.PARLEY_ROOT ?? path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = (file) => path.join(root, file);

/** Names the editor uses for other things on the canvas, so no node type may take them. */
const RESERVED = new Set(['trigger']);

function fail(message) {
  console.error(`new:node: ${message}`);
  process.exit(1);
}

const type = process.argv[2];
if (type === undefined || process.argv.length > 3)
  fail('usage: npm run new:node -- <type>  (e.g. send_sticker)');
if (!/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(type) || type.length > 40) {
  fail(
    `“${type}” is not a node type name: use lower-case letters and digits, words joined by _ (e.g. send_sticker).`,
  );
}
if (RESERVED.has(type)) fail(`“${type}” is reserved by the editor; pick another name.`);

const words = type.split('_');
const folder = words.join('-');
const camel = words.map((word, i) => (i === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
const pascal = camel[0].toUpperCase() + camel.slice(1);
const title = words.join(' ').replace(/^./, (c) => c.toUpperCase());

const files = {
  schema: `shared-schemas/src/nodes/${folder}/index.ts`,
  executor: `engine/src/nodes/${folder}.ts`,
  test: `engine/src/nodes/${folder}.test.ts`,
  ui: `admin-ui/src/features/editor/nodes/${folder}/index.ts`,
  scenario: `runtime/test/scenarios/node-${folder}.json`,
};
const registries = {
  schema: 'shared-schemas/src/nodes/registry.ts',
  executor: 'engine/src/nodes/registry.ts',
  ui: 'admin-ui/src/features/editor/nodes/registry.ts',
};
const docs = 'docs/flow-format.md';

const schemaRegistry = readFileSync(at(registries.schema), 'utf8');
if (new RegExp(`^\\s+${type}: `, 'm').test(schemaRegistry)) fail(`the node type “${type}” already exists.`);
for (const file of Object.values(files)) {
  if (existsSync(at(file))) fail(`${file} already exists; remove it or pick another name.`);
}

function write(file, text) {
  mkdirSync(path.dirname(at(file)), { recursive: true });
  writeFileSync(at(file), text);
}

/** Adds an import at the top and an entry before the end of the registry's object literal. */
function register(file, importLine, entry, objectStart) {
  const text = readFileSync(at(file), 'utf8');
  const start = text.indexOf(objectStart);
  const end = start === -1 ? -1 : text.indexOf('\n}', start);
  if (end === -1) fail(`cannot find “${objectStart}” in ${file}; add ${type} there by hand.`);
  writeFileSync(at(file), `${importLine}\n${text.slice(0, end)}\n  ${entry},${text.slice(end)}`);
}

write(
  files.schema,
  `import { type Static, Type } from '@sinclair/typebox';
import { defineNode } from '../node-definition.js';
import { NEXT_HANDLE, NonEmptyText, textReferences } from '../shared.js';

export const ${pascal}Config = Type.Object({ text: NonEmptyText() }, { additionalProperties: false });
export type ${pascal}Config = Static<typeof ${pascal}Config>;

export const ${camel}Node = defineNode({
  type: '${type}',
  title: '${title}',
  description: 'Sends its text, then continues.',
  category: 'say',
  configSchema: ${pascal}Config,
  settingsUi: {
    'ui:order': ['text'],
    text: { 'ui:widget': 'textarea', 'ui:title': 'Text' },
  },
  defaults: () => ({ text: 'Hello {{contact.name}}!' }),
  handles: () => NEXT_HANDLE,
  references: (config) => textReferences('text', config.text),
  sends: () => 1,
  summary: (config) => config.text,
});
`,
);
register(
  registries.schema,
  `import { ${camel}Node } from './${folder}/index.js';`,
  `${type}: ${camel}Node`,
  'export const nodeDefinitions = {',
);

write(
  files.executor,
  `import { renderTemplate } from '@parley/schemas';
import { scopeOf, send } from '../turn.js';
import type { NodeExecutor } from './node-executor.js';

export const ${camel}Executor: NodeExecutor<'${type}'> = {
  run: (node, conversation, turn) => {
    send(turn, conversation, 'message', renderTemplate(node.config.text, scopeOf(turn, conversation)));
    return { kind: 'follow', handle: 'next' };
  },
};
`,
);
register(
  registries.executor,
  `import { ${camel}Executor } from './${folder}.js';`,
  `${type}: ${camel}Executor`,
  'export const executors = {',
);

write(
  files.test,
  `import { describe, expect, it } from 'vitest';
import { compileFlow } from '../compile-flow.js';
import { initialState } from '../state.js';
import { step } from '../step.js';

describe('${type}', () => {
  it('sends its text and continues at next', () => {
    const flow = compileFlow({
      schemaVersion: 1,
      name: '${title}',
      triggers: [{ id: 't1', type: 'any_message', target: 'n1' }],
      nodes: [
        { id: 'n1', type: '${type}', config: { text: 'Hi {{contact.name}}' } },
        { id: 'n2', type: 'end', config: {} },
      ],
      edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
    });
    const result = step(flow, initialState({ name: 'Ana' }), { type: 'message', id: 'm1', text: 'hi' }, 0);
    expect(result.outbound.map((message) => message.text)).toEqual(['Hi Ana']);
    expect(result.state.conversation?.status).toBe('completed');
  });
});
`,
);

write(
  files.ui,
  `import { Box } from 'lucide-react';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';

export const ${camel}Ui: NodeUi<'${type}'> = {
  icon: Box,
  accent: 'bg-slate-100 text-slate-700',
  summary: (config) => truncate(config.text),
};
`,
);
register(
  registries.ui,
  `import { ${camel}Ui } from './${folder}';`,
  `${type}: ${camel}Ui`,
  'export const nodeUis: { [K in NodeType]: NodeUi<K> } = {',
);

write(
  files.scenario,
  `${JSON.stringify(
    {
      name: `node-${folder}`,
      about: `A ${type} node says its text, then the flow ends.`,
      contact: { name: 'Ana' },
      flow: {
        schemaVersion: 1,
        name: title,
        triggers: [{ id: 't1', type: 'keyword', keywords: ['start'], match: 'exact', target: 'n1' }],
        nodes: [
          { id: 'n1', type, position: { x: 0, y: 0 }, config: { text: 'Hi {{contact.name}}' } },
          { id: 'n2', type: 'end', position: { x: 0, y: 140 }, config: { text: 'Bye' } },
        ],
        edges: [{ id: 'e1', source: 'n1', sourceHandle: 'next', target: 'n2' }],
      },
      turns: [{ user: 'start', bot: [{ text: 'Hi Ana' }, { text: 'Bye' }] }],
      result: { status: 'completed', answers: {} },
    },
    null,
    2,
  )}\n`,
);

/** A section after the last node type's, and a link in the contents. */
function addDocs() {
  const text = readFileSync(at(docs), 'utf8');
  const sections = [...text.matchAll(/^### 6\.(\d+) `/gm)];
  const number = Math.max(0, ...sections.map((match) => Number(match[1]))) + 1;
  const end = text.indexOf('\n---\n\n## 7.');
  const contents = text.match(/^ {3}- \[message\]\(#61-message\).*$/m);
  if (end === -1 || contents === null)
    fail(`cannot find the node sections in ${docs}; add ${type} there by hand.`);
  const section = `
### 6.${number} \`${type}\`

Sends its text, then continues.

| field  | type                           | required | default | meaning              |
| ------ | ------------------------------ | -------- | ------- | -------------------- |
| \`text\` | string, 1–4096 chars, template | yes      |         | The message to send. |

Handles: \`next\`.

\`\`\`json
{ "id": "n1", "type": "${type}", "config": { "text": "Hello {{contact.name}}!" } }
\`\`\`
`;
  const link = `${contents[0]} · [${type}](#6${number}-${type})`;
  const updated = text.slice(0, end) + section + text.slice(end);
  writeFileSync(at(docs), updated.replace(contents[0], link));
}
addDocs();

const written = [...Object.values(files), ...Object.values(registries)];
execFileSync('npx', ['biome', 'check', '--write', ...written], { cwd: root, stdio: 'inherit' });
console.log(`Added node type ${type}:\n${[...written, docs].map((file) => `  ${file}`).join('\n')}`);
console.log('Next: npm run build, then npx vitest run', files.test);
