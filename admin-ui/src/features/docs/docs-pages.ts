import { Marked } from 'marked';

/**
 * The repository's docs/*.md, bundled into the app at build time: they read without the internet
 * and always match the running version. Each page loads only when opened.
 */
const SOURCES = import.meta.glob<string>('../../../../docs/*.md', { query: '?raw', import: 'default' });

/** A page's address under /docs: its file name without `.md`. */
export const DOC_PAGES = Object.keys(SOURCES)
  .map((path) => path.replace(/^.*\/([^/]+)\.md$/, '$1'))
  .sort();

export function loadDoc(page: string): Promise<string> | null {
  const load = SOURCES[`../../../../docs/${page}.md`];
  return load === undefined ? null : load();
}

/** The anchor GitHub gives a heading, so that links written for the repository work here too. */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Links between docs (`security.md#keys`) stay inside the app (`/docs/security#keys`). */
function localHref(href: string): string {
  const match = /^(?:\.\/)?([\w-]+)\.md(#.*)?$/.exec(href);
  return match ? `/docs/${match[1]}${match[2] ?? ''}` : href;
}

const markdown = new Marked({
  gfm: true,
  walkTokens(token) {
    if (token.type === 'link') token.href = localHref(token.href);
  },
  renderer: {
    heading({ tokens, depth, text }) {
      return `<h${depth} id="${headingId(text)}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
  },
});

export function docToHtml(source: string): string {
  return markdown.parse(source, { async: false });
}

/** A page's title: its first heading. */
export function docTitle(source: string): string {
  return /^#\s+(.+)$/m.exec(source)?.[1]?.trim() ?? 'Documentation';
}
