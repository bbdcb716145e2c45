// Generates docs/configuration.md from .env.example (`npm run docs:config`). The test in
// test/configuration.test.ts fails when the two drift apart or the code reads an undocumented setting.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Sections of settings: `## Title`, then `# comment` lines describing the `NAME=default` lines after them. */
export function parseEnvExample(text) {
  const sections = [];
  let comment = [];
  let afterSetting = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('## ')) {
      sections.push({ title: line.slice(3).trim(), settings: [] });
      comment = [];
    } else if (line.startsWith('#')) {
      // A comment after settings starts the description of the next ones.
      if (afterSetting) comment = [];
      afterSetting = false;
      comment.push(line.replace(/^#\s?/, ''));
    } else if (/^[A-Z][A-Z0-9_]*=/.test(line) && sections.length > 0) {
      afterSetting = true;
      const [name, ...rest] = line.split('=');
      sections.at(-1).settings.push({ name, value: rest.join('='), description: comment.join(' ') });
    } else if (line.trim() === '') {
      comment = [];
    }
  }
  return sections;
}

export function renderConfiguration(sections) {
  const lines = [
    '# Configuration',
    '',
    'Every setting is an environment variable; none is required to start on embedded defaults.',
    'This page is generated from [`.env.example`](../.env.example) by `npm run docs:config`.',
    '',
  ];
  for (const section of sections) {
    lines.push(`## ${section.title}`, '', '| setting | default | meaning |', '|---|---|---|');
    let description = '';
    for (const setting of section.settings) {
      // Consecutive settings under one comment share it; repeat it only once.
      const text = setting.description === '' ? '〃' : setting.description;
      lines.push(
        `| \`${setting.name}\` | ${setting.value === '' ? '—' : `\`${setting.value}\``} | ${text === description ? '〃' : text} |`,
      );
      if (setting.description !== '') description = setting.description;
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sections = parseEnvExample(readFileSync(`${root}.env.example`, 'utf8'));
  writeFileSync(`${root}docs/configuration.md`, renderConfiguration(sections));
  process.stdout.write(
    `docs/configuration.md: ${sections.reduce((n, s) => n + s.settings.length, 0)} settings\n`,
  );
}
