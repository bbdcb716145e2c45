/** Request and response schemas of the responses list and its exports. */
import { type Static, Type } from '@sinclair/typebox';
import { CursorQuery, Timestamp, Uuid } from './common.js';
import { EXPORT_FORMATS, RESPONSE_STATUS_FILTERS } from './enum-values.js';
import { ConversationStatus, literalUnion } from './enums.js';

/** The filters the list, the exports and (partly) the analytics share. */
export const ResponseFilterQuery = {
  version: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 2_147_483_647,
      description: 'Only this flow version (0: simulator runs of drafts)',
    }),
  ),
  from: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'From this time, inclusive: completed_at for completed rows, started_at for partial ones',
    }),
  ),
  to: Type.Optional(
    Type.String({ format: 'date-time', description: 'Before this time, exclusive (same times as from)' }),
  ),
  status: Type.Optional(
    literalUnion(RESPONSE_STATUS_FILTERS, {
      default: 'completed',
      description:
        'completed: conversations that completed (their responses). partial: conversations that did not complete ' +
        '(active, expired, abandoned, failed, handoff) and hold at least one answer. all: both.',
    }),
  ),
  includeTest: Type.Optional(
    Type.Boolean({ default: false, description: 'Include simulator (test) conversations' }),
  ),
};

export const AnswerColumn = Type.Object({
  variable: Type.String(),
  title: Type.String(),
  type: Type.String({ description: 'JSON Schema type of the answer' }),
  personal: Type.Union([Type.Literal('phone'), Type.Literal('email'), Type.Null()], {
    description: 'A phone or email answer: masked in exports with maskPhone=true',
  }),
});

export const ResponseItem = Type.Object({
  conversationId: Uuid,
  contact: Type.String(),
  contactName: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  status: ConversationStatus,
  answers: Type.Record(Type.String(), Type.Unknown()),
  startedAt: Timestamp,
  completedAt: Type.Union([Timestamp, Type.Null()]),
});

export const ResponseListQuery = Type.Object({ ...CursorQuery, ...ResponseFilterQuery });
export const ResponsePage = Type.Object({
  columns: Type.Array(AnswerColumn, {
    description: 'Answer variables of all published versions, in flow order (newest version first)',
  }),
  items: Type.Array(ResponseItem),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ExportQuery = Type.Object({
  format: Type.Optional(literalUnion(EXPORT_FORMATS, { default: 'csv' })),
  maskPhone: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'Mask personal data: contacts and phone answers +15550100101 → +1555•••0101 (first and last 4 digits kept), ' +
        'contact names Ann Lee → A•••, email answers ann@example.com → a•••@•••.com. Other answers are not masked.',
    }),
  ),
  choiceLabels: Type.Optional(
    Type.Boolean({
      default: false,
      description:
        'Write the answers of choice questions by the label the contact picked (“Cleaning & check-up”) ' +
        'instead of the stored value; a value no version offers any more stays as stored.',
    }),
  ),
  ...ResponseFilterQuery,
});

export type ResponseListQuery = Static<typeof ResponseListQuery>;
export type ExportQuery = Static<typeof ExportQuery>;
export type AnswerColumn = Static<typeof AnswerColumn>;
export type ResponseItem = Static<typeof ResponseItem>;
export type ResponsePage = Static<typeof ResponsePage>;
/** The filters the list and the exports share, as the UI keeps them. */
export type ResponseFilters = Omit<ResponseListQuery, 'cursor' | 'limit'>;
