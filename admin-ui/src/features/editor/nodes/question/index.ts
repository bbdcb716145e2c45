import { isDateQuestion } from '@parley/schemas';
import { HelpCircle } from 'lucide-react';
import { ANSWER_KINDS, answerKindOf } from '@/core/questions/answer-kinds';
import type { NodeUi } from '../node-ui';
import { truncate } from '../node-ui';
import { AnswerTypeWidget } from './AnswerTypeWidget';
import { ChoicesWidget } from './ChoicesWidget';

export const questionUi: NodeUi<'question'> = {
  icon: HelpCircle,
  accent: 'bg-violet-100 text-violet-700',
  summary: (config) => truncate(config.prompt || 'Empty question'),
  detail: (config) => {
    const kind = ANSWER_KINDS.find((item) => item.id === answerKindOf(config))?.label ?? 'Text';
    return `${kind} → {{${config.variable}}}`;
  },
  widgets: { answer: AnswerTypeWidget, choices: ChoicesWidget },
  hiddenFields: (config) => [
    'accept',
    ...(config.choices === undefined ? ['choices', 'render'] : []),
    // Date limits only on a date question (or where some are set, so they can be cleared).
    ...(isDateQuestion(config) || config.earliest !== undefined || config.latest !== undefined
      ? []
      : ['earliest', 'latest']),
  ],
};
