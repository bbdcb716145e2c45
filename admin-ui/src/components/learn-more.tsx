import { ExternalLink } from 'lucide-react';
import { cn } from '@/lib/cn';

/** Where the help pages (/docs, the repository's docs) explain each topic; anchors as GitHub makes them. */
export const HELP_TOPICS = {
  flowSettings: 'flow-format#4-settings',
  answerTypes: 'flow-format#71-the-answer-schema',
  httpRequest: 'flow-format#11-http-requests-in-detail',
  apiKeys: 'api#api-keys',
  alerts: 'operations#alerts',
  aiProviders: 'ai#providers',
} as const;

export type HelpTopic = keyof typeof HELP_TOPICS;

/** A "Learn more" link to the help page on `topic`, in a new tab so that nothing open is lost. */
export function LearnMore({
  topic,
  about,
  className,
}: {
  topic: HelpTopic;
  about: string;
  className?: string;
}) {
  return (
    <a
      href={`/docs/${HELP_TOPICS[topic]}`}
      target="_blank"
      rel="noopener"
      className={cn(
        'inline-flex items-center gap-1 text-xs font-medium text-primary hover:underline',
        className,
      )}
    >
      Learn more<span className="sr-only"> about {about}</span>
      <ExternalLink className="size-3" aria-hidden />
    </a>
  );
}
