import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number in E.164, or null. It must carry a country code (`+` or `00`) unless the flow
 * sets a default country, and be a valid number for its country.
 */
export function parsePhone(text: string, defaultCountry?: string): string | null {
  let input = text.trim();
  if (input.startsWith('00')) input = `+${input.slice(2)}`;
  if (!input.startsWith('+') && defaultCountry === undefined) return null;
  const parsed = parsePhoneNumberFromString(input, defaultCountry as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * The country of a number in international form (the contact's own WhatsApp number), or undefined.
 * A number no country's plan matches still names its calling code's main country (+44 → GB).
 */
export function countryOfPhone(phone: string | undefined): string | undefined {
  if (phone === undefined) return undefined;
  const parsed = parsePhoneNumberFromString(phone.startsWith('+') ? phone : `+${phone}`);
  return parsed?.country ?? parsed?.getPossibleCountries()[0];
}
