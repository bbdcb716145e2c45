export { isPublicAddress, refusedHost } from './addresses/public-address.js';
export {
  type BusinessHoursProblem,
  businessHoursProblems,
  closedNotice,
  isKnownTimeZone,
} from './business-hours/business-hours.js';
export {
  BusinessHours,
  OpeningSpan,
  WEEKDAYS,
  type Weekday,
} from './business-hours/business-hours.schema.js';
export {
  closedText,
  DEFAULT_CLOSED_NO_OPENING_TEXT,
  DEFAULT_CLOSED_TEXT,
  describeOpening,
  type Opening,
  openingAt,
} from './business-hours/opening.js';
export * from './conditions/condition.schema.js';
export { evaluateCondition, evaluateRule, looselyEqual } from './conditions/evaluate.js';
export { CONVERSATION_STATUSES, type ConversationStatus } from './conversation/status.js';
export { TURN_NOTE_KINDS, TurnNote } from './conversation/turn-note.js';
export { diffFlows, type FlowChange } from './diff/diff-flows.js';
export { answerByLabel, type ChoiceLabels, choiceLabels } from './flow/choice-labels.js';
export * from './flow/document.js';
export * from './flow/flow-index.js';
export { flowOrder, walkOrder } from './flow/flow-order.js';
export { nodeName } from './flow/node-name.js';
export { appointmentRequest } from './flow-templates/appointment-request.js';
export { customerSatisfaction } from './flow-templates/customer-satisfaction.js';
export {
  blankDocument,
  FLOW_TEMPLATES,
  type FlowTemplate,
  fromTemplate,
} from './flow-templates/index.js';
export { leadCapture } from './flow-templates/lead-capture.js';
export * from './form/derive-form.js';
export {
  AI_CLASSIFY_NO_CATEGORY,
  type AiCategory,
  type AiClassifyConfig,
  classificationSchema,
} from './nodes/ai-classify/index.js';
export {
  AI_FIELD_TYPES,
  type AiExtractConfig,
  type AiField,
  type AiFieldType,
  extractionSchema,
  fieldSchema,
} from './nodes/ai-extract/index.js';
export {
  AI_MEMORY,
  AI_REPLY_BUILTIN_TOOLS,
  AI_REPLY_DEFAULTS,
  AI_TOOL_PARAMETER_TYPES,
  type AiReplyConfig,
  type AiTool,
} from './nodes/ai-reply/index.js';
export { SavedSecret } from './nodes/http-parts.js';
export type { HttpRequestConfig } from './nodes/http-request/index.js';
export type { MessageConfig } from './nodes/message/index.js';
export type * from './nodes/node-definition.js';
export {
  addDays,
  DateLimit,
  type DateLimitValue,
  isCalendarDate,
  parseDateLimit,
  resolveDateLimit,
} from './nodes/question/date-limit.js';
export { type Choice, isDateQuestion, isMultiChoice, type QuestionConfig } from './nodes/question/index.js';
export * from './nodes/registry.js';
export { RESERVED_HANDLES } from './nodes/shared.js';
export { searchPattern } from './patterns/author-pattern.js';
export {
  type HeaderAt,
  isSavedSecret,
  isStoredSecret,
  mapHeaderValues,
  maskHeaderValues,
  SAVED_SECRET,
  type StoredSecret,
} from './secrets/header-secrets.js';
export { renderTemplate, type TemplateEscape, templatePaths, valueToText } from './templates/template.js';
export { REPLACEMENT_CHARACTER, storableJson, storableText } from './text/storable-text.js';
export { createAjv, formatPhone, isE164Phone } from './validation/ajv.js';
export { problemsFromAjv } from './validation/ajv-messages.js';
export { type CompiledAnswer, compileAnswerSchema } from './validation/answer-validator.js';
export { MAX_MESSAGES_PER_TURN } from './validation/message-cap.js';
export type { ValidationOptions } from './validation/options.js';
export type { Problem } from './validation/problem.js';
export { publishProblems, validateForPublish } from './validation/publish-checks.js';
export { isKnownLocale, settingsProblems } from './validation/settings.js';
export { structuralProblems, type ValidationResult, validateFlow } from './validation/validate-flow.js';
export { readPath, resolveValue, type ValueScope, variableOfPath } from './values/path.js';
