import { type Static, Type } from '@sinclair/typebox';
import { refusedHost } from '../addresses/public-address.js';
import { error, type Problem, warning } from '../validation/problem.js';

/**
 * A header value kept secret by the server: what the API shows instead of a saved value, and what
 * an exported file carries instead of it. Sending it back keeps the saved value.
 */
export const SavedSecret = Type.Object(
  { secret: Type.Literal(true) },
  { additionalProperties: false, description: 'A saved secret value, never shown again' },
);
export type SavedSecret = Static<typeof SavedSecret>;

/** Request headers whose values may be saved secrets (a block's `secretRecord`). */
export const HttpHeaders = Type.Record(
  Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }),
  Type.Union([Type.String({ maxLength: 4096 }), SavedSecret]),
  { additionalProperties: false },
);

/** A web address a block calls, templated with the conversation's values. */
export const HttpUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: '^https?://',
  'x-message': 'Must be a web address starting with http:// or https://',
});

/** Escapes a key for use as one JSON Pointer segment. */
export function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The header values that are templates, with their pointers below the config. */
export function headerTemplates(
  headers: Static<typeof HttpHeaders> | undefined,
): { pointer: string; text: string }[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) =>
    typeof value === 'string' ? [{ pointer: `/headers/${escapeToken(name)}`, text: value }] : [],
  );
}

/**
 * A marker with no saved value behind it (an imported export, a moved address) cannot be sent: the
 * admin types the value again.
 */
export function unsavedSecrets(headers: Static<typeof HttpHeaders> | undefined, pointer: string): Problem[] {
  return Object.entries(headers ?? {})
    .filter(([, value]) => typeof value !== 'string')
    .map(([name]) =>
      error(
        `${pointer}/config/headers/${escapeToken(name)}`,
        `The value of header “${name}” is secret and has to be typed again: exported files leave secrets out, and a saved value stays behind when the address moves to another site.`,
      ),
    );
}

/**
 * A warning for an address the runtime will refuse (checked only where the deployment refuses
 * private networks): without it the call would fail and nobody would know why.
 */
export function refusedAddress(url: string, pointer: string, consequence: string): Problem[] {
  const host = refusedHost(url);
  if (host === null) return [];
  return [
    warning(
      pointer,
      `“${host}” is a private or local address, and this Parley server does not call those, so ${consequence}. Use the service's public address, or ask whoever runs Parley to allow private addresses.`,
    ),
  ];
}
