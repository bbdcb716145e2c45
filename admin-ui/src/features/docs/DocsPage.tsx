import { useQuery } from '@tanstack/react-query';
import { ArrowLeft, BookOpen } from 'lucide-react';
import { type MouseEvent, useEffect } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { Logo } from '@/components/logo';
import { Button } from '@/components/ui/button';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { DOC_PAGES, docTitle, docToHtml, loadDoc } from './docs-pages';

/** The pages an admin is most likely to need first, in plain words; any other page follows. */
const GUIDE: Record<string, { title: string; summary: string }> = {
  'flow-format': {
    title: 'How flows work',
    summary: 'Every block, question type, condition and setting, with examples.',
  },
  whatsapp: {
    title: 'WhatsApp numbers',
    summary: 'Connecting a number, staying connected, and what to do when it drops.',
  },
  operations: {
    title: 'Running Parley',
    summary: 'For whoever hosts Parley: backups, updates and keeping it healthy.',
  },
  configuration: { title: 'Server settings', summary: 'Every setting of the server, for whoever hosts it.' },
  security: {
    title: 'Security and privacy',
    summary: 'Who can do what, and how answers and secrets are kept.',
  },
  architecture: { title: 'How Parley is built', summary: 'The moving parts, for developers.' },
};

const ORDERED = [
  ...Object.keys(GUIDE).filter((page) => DOC_PAGES.includes(page)),
  ...DOC_PAGES.filter((page) => !(page in GUIDE)),
];

function DocsIndex() {
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Help</h1>
        <p className="mt-1 text-sm text-muted-foreground">
          The guides that come with this version of Parley. They work without an internet connection.
        </p>
      </div>
      <ul className="flex flex-col gap-2">
        {ORDERED.map((page) => (
          <li key={page}>
            <Link
              to={`/docs/${page}`}
              className="flex items-start gap-3 rounded-lg border bg-card px-4 py-3 hover:border-primary/40 hover:bg-accent/50"
            >
              <BookOpen className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
              <span>
                <span className="block font-medium">{GUIDE[page]?.title ?? page}</span>
                {GUIDE[page] && (
                  <span className="block text-sm text-muted-foreground">{GUIDE[page].summary}</span>
                )}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

function DocArticle({ page }: { page: string }) {
  const { hash } = useLocation();
  const navigate = useNavigate();
  const doc = useQuery({
    queryKey: ['docs', page],
    queryFn: async () => {
      const load = loadDoc(page);
      if (load === null) throw new Error('This help page does not exist.');
      const source = await load;
      return { title: docTitle(source), html: docToHtml(source) };
    },
    staleTime: Number.POSITIVE_INFINITY,
  });

  useEffect(() => {
    if (doc.data === undefined) return;
    document.title = `${doc.data.title} · Parley`;
    const target = hash === '' ? null : document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  }, [doc.data, hash]);

  // Links between help pages move inside the app instead of reloading it.
  const followLocalLink = (event: MouseEvent) => {
    const link = (event.target as HTMLElement).closest('a');
    const href = link?.getAttribute('href') ?? '';
    if (!href.startsWith('/docs/') || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(href);
  };

  if (doc.isPending) return <LoadingState label="Opening the help page…" />;
  if (doc.isError)
    return (
      <ErrorState
        title="This help page could not be opened"
        message="Go back to Help and pick another page."
      />
    );
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noNoninteractiveElementInteractions: only catches clicks on the links inside, which keep their own keyboard behaviour.
    <article
      className="docs"
      onClick={followLocalLink}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: the repository's own docs, bundled at build time.
      dangerouslySetInnerHTML={{ __html: doc.data.html }}
    />
  );
}

/** Help: the repository's docs, readable from the running product, signed in or not. */
export function DocsPage() {
  const { page } = useParams();
  return (
    <div className="min-h-full bg-background">
      <header className="sticky top-0 z-10 flex h-14 items-center gap-3 border-b bg-card px-4">
        <Logo />
        <span className="text-sm text-muted-foreground">Help</span>
        <Button asChild variant="ghost" size="sm" className="ml-auto">
          <Link to={page === undefined ? '/flows' : '/docs'}>
            <ArrowLeft aria-hidden /> {page === undefined ? 'Back to Parley' : 'All help pages'}
          </Link>
        </Button>
      </header>
      <main className="mx-auto w-full max-w-3xl px-4 py-6 md:px-8">
        {page === undefined ? <DocsIndex /> : <DocArticle page={page} />}
      </main>
    </div>
  );
}
