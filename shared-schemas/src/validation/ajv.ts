import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { re2RegExpEngine } from '../patterns/author-pattern.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** A phone number stored by Parley: E.164, valid for its country. */
export function isE164Phone(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value) && isValidPhoneNumber(value);
}

/** A stored phone as people read it (`+34 612 34 56 78`); anything unparsable as it is. */
export function formatPhone(value: string): string {
  return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
}

/**
 * Creates an ajv (JSON Schema draft 2020-12) with full formats, `phone`, and Parley's message
 * keyword. `pattern` and `patternProperties` run on RE2, in time linear in the text.
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    ...options,
    code: { ...options.code, regExp: re2RegExpEngine },
  });
  addFormats(ajv, { mode: 'full' });
  ajv.addFormat('phone', { type: 'string', validate: isE164Phone });
  // Admin-facing message for a schema node, read by the error translator.
  ajv.addKeyword({ keyword: 'x-message', schemaType: 'string' });
  return ajv;
}
