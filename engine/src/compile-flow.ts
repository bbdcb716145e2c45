import { type FlowDocument, type FlowIndex, type FlowNode, indexFlow, validateFlow } from '@parley/schemas';

export const DEFAULT_FALLBACK_TEXT = 'Sorry, something went wrong.';
export const DEFAULT_RETRY_TEXT = 'Sorry, that is not a valid answer. Please try again.';
export const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_TIMEOUT_MINUTES = 30;
const DEFAULT_MAX_STEPS = 100;
export const DEFAULT_HANDOFF_TIMEOUT_TEXT =
  'Sorry for the wait: nobody from our team could answer yet. We will get back to you as soon as we can.';

export interface ResolvedSettings {
  sessionTimeoutMs: number;
  fallbackText: string;
  maxStepsPerTurn: number;
  reminder?: { afterMs: number; text: string };
  expiredText?: string;
  defaultCountry?: string;
  locale?: string;
  timeZone?: string;
  phoneCountryFromContact?: boolean;
  replies?: NonNullable<FlowDocument['settings']>['replies'];
  /** A hand-off nobody answers within `timeoutMs` says `timeoutText`. */
  handoff?: { timeoutMs: number; timeoutText: string };
}

/** A flow version made ready to run: indexed, defaults resolved. */
export interface CompiledFlow {
  document: FlowDocument;
  index: FlowIndex;
  settings: ResolvedSettings;
}

export class InvalidFlowError extends Error {
  constructor(readonly problems: { pointer: string; message: string }[]) {
    super(
      `The flow has ${problems.length} error(s): ${problems.map((p) => `${p.pointer}: ${p.message}`).join('; ')}`,
    );
    this.name = 'InvalidFlowError';
  }
}

function resolveSettings(document: FlowDocument): ResolvedSettings {
  const settings = document.settings ?? {};
  return {
    sessionTimeoutMs: (settings.sessionTimeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES) * 60_000,
    fallbackText: settings.fallbackText ?? DEFAULT_FALLBACK_TEXT,
    maxStepsPerTurn: settings.maxStepsPerTurn ?? DEFAULT_MAX_STEPS,
    ...(settings.reminder === undefined
      ? {}
      : { reminder: { afterMs: settings.reminder.afterMinutes * 60_000, text: settings.reminder.text } }),
    ...(settings.expiredText === undefined ? {} : { expiredText: settings.expiredText }),
    ...(settings.defaultCountry === undefined ? {} : { defaultCountry: settings.defaultCountry }),
    ...(settings.locale === undefined ? {} : { locale: settings.locale }),
    ...(settings.timeZone === undefined ? {} : { timeZone: settings.timeZone }),
    ...(settings.phoneCountryFromContact === true ? { phoneCountryFromContact: true } : {}),
    ...(settings.replies === undefined ? {} : { replies: settings.replies }),
    ...(settings.handoff === undefined
      ? {}
      : {
          handoff: {
            timeoutMs: settings.handoff.timeoutMinutes * 60_000,
            timeoutText: settings.handoff.timeoutText ?? DEFAULT_HANDOFF_TIMEOUT_TEXT,
          },
        }),
  };
}

/** Validates and prepares a Flow Document for the engine; throws InvalidFlowError on errors. */
export function compileFlow(input: unknown): CompiledFlow {
  const { errors, document } = validateFlow(input);
  if (document === undefined) throw new InvalidFlowError(errors);
  return { document, index: indexFlow(document), settings: resolveSettings(document) };
}

export function nodeOf(flow: CompiledFlow, id: string): FlowNode | undefined {
  return flow.index.nodeById.get(id);
}
