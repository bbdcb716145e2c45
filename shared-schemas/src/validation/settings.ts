import { isSupportedCountry } from 'libphonenumber-js/max';
import type { FlowSettings } from '../flow/document.js';
import { error, type Problem, warning } from './problem.js';

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch (problem) {
    if (problem instanceof RangeError) return false;
    throw problem;
  }
}

/** Whether Intl knows how to read a locale tag (a malformed one is not an error, just unknown). */
export function isKnownLocale(tag: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([tag]).length > 0;
  } catch (problem) {
    if (problem instanceof RangeError) return false;
    throw problem;
  }
}

/**
 * What JSON Schema cannot tell about the flow's settings: a country phones are known for, a
 * reminder before expiry, a real time zone and locale. An unknown time zone is an error (the
 * setting is new, so no stored flow has one); an unknown locale only a warning, because flows
 * carried free-text locales before Parley read them.
 */
export function settingsProblems(settings: FlowSettings | undefined): Problem[] {
  const problems: Problem[] = [];
  if (settings?.defaultCountry !== undefined && !isSupportedCountry(settings.defaultCountry)) {
    problems.push(
      error(
        '/settings/defaultCountry',
        `“${settings.defaultCountry}” is not a country phone numbers are known for.`,
      ),
    );
  }
  if (
    settings?.reminder !== undefined &&
    settings.reminder.afterMinutes >= (settings.sessionTimeoutMinutes ?? 30)
  ) {
    problems.push(
      warning(
        '/settings/reminder/afterMinutes',
        'The reminder would come after the chat has already expired, so it is never sent.',
      ),
    );
  }
  if (settings?.timeZone !== undefined && !isTimeZone(settings.timeZone)) {
    problems.push(
      error(
        '/settings/timeZone',
        `“${settings.timeZone}” is not a time zone Parley knows. Use a name such as Europe/Berlin or America/Sao_Paulo.`,
      ),
    );
  }
  if (settings?.locale !== undefined && !isKnownLocale(settings.locale)) {
    problems.push(
      warning(
        '/settings/locale',
        `“${settings.locale}” is not a language Parley knows, so dates and numbers are read as without a language. Use a code such as en-GB, de-DE or pt-BR.`,
      ),
    );
  }
  return problems;
}
