import { type Static, Type } from '@sinclair/typebox';
import { refusedHost } from '../../addresses/public-address.js';
import { error, type Problem, warning } from '../../validation/problem.js';
import { defineNode } from '../node-definition.js';
import { VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';

/**
 * A header value kept secret by the server: what the API shows instead of a saved value, and what
 * an exported file carries instead of it. Sending it back keeps the saved value.
 */
export const SavedSecret = Type.Object(
  { secret: Type.Literal(true) },
  { additionalProperties: false, description: 'A saved secret value, never shown again' },
);
export type SavedSecret = Static<typeof SavedSecret>;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const HttpRequestConfig = Type.Object(
  {
    url: Type.String({
      minLength: 1,
      maxLength: 2048,
      pattern: '^https?://',
      'x-message': 'Must be a web address starting with http:// or https://',
    }),
    method: Type.Optional(StringEnum(HTTP_METHODS)),
    headers: Type.Optional(
      Type.Record(
        Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }),
        Type.Union([Type.String({ maxLength: 4096 }), SavedSecret]),
        {
          additionalProperties: false,
        },
      ),
    ),
    body: Type.Optional(Type.String({ maxLength: 65536 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60000 })),
    saveAs: Type.Optional(VariableName),
  },
  { additionalProperties: false },
);
export type HttpRequestConfig = Static<typeof HttpRequestConfig>;

export const httpRequestNode = defineNode({
  type: 'http_request',
  title: 'HTTP request',
  description: 'Calls a web address (a CRM, a sheet, a webhook) and saves the reply.',
  category: 'integrate',
  configSchema: HttpRequestConfig,
  settingsUi: {
    'ui:order': ['method', 'url', 'headers', 'body', 'timeoutMs', 'saveAs'],
    method: { 'ui:widget': 'select', 'ui:title': 'Method' },
    url: { 'ui:title': 'URL', 'ui:placeholder': 'https://example.com/leads?email={{email}}' },
    headers: { 'ui:widget': 'keyValue', 'ui:title': 'Headers' },
    body: {
      'ui:widget': 'textarea',
      'ui:title': 'Body',
      'ui:help': 'JSON is sent as application/json. {{variable}} values are escaped for you.',
    },
    timeoutMs: {
      'ui:widget': 'number',
      'ui:title': 'Timeout (ms)',
      'ui:help': 'Default 10000, at most 60000.',
    },
    saveAs: {
      'ui:title': 'Save response as',
      'ui:help': 'Stores { status, body }; read it with {{name.body.field}}.',
    },
  },
  defaults: () => ({ method: 'POST' as const, url: 'https://example.com/webhook', saveAs: 'response' }),
  handles: () => [
    { id: 'success', label: 'Success' },
    { id: 'failure', label: 'Failure' },
  ],
  references: (config) => ({
    templates: [
      { pointer: '/url', text: config.url },
      ...Object.entries(config.headers ?? {}).flatMap(([name, value]) =>
        typeof value === 'string' ? [{ pointer: `/headers/${escapeToken(name)}`, text: value }] : [],
      ),
      ...(config.body === undefined ? [] : [{ pointer: '/body', text: config.body }]),
    ],
    reads: [],
    defines: config.saveAs === undefined ? [] : [config.saveAs],
  }),
  stops: 'wait',
  secretRecord: 'headers',
  // A marker with no saved value behind it (an imported export, a moved address) cannot be sent.
  // A failed request still stores its outcome, but not the answer the next blocks expect.
  unsetOn: (config) => (config.saveAs === undefined ? {} : { failure: [config.saveAs] }),
  unconnected: () => ({
    failure:
      'When the request fails (the service is down, refuses it or takes too long), the conversation ends here without a word to the contact. Connect “Failure” to tell them.',
  }),
  check: (config, ctx) => [
    ...(ctx.allowPrivateHttp ? [] : refusedAddress(config.url, ctx.pointer)),
    ...Object.entries(config.headers ?? {})
      .filter(([, value]) => typeof value !== 'string')
      .map(([name]) =>
        error(
          `${ctx.pointer}/config/headers/${escapeToken(name)}`,
          `The value of header “${name}” is secret and has to be typed again: exported files leave secrets out, and a saved value stays behind when the address moves to another site.`,
        ),
      ),
  ],
});

/**
 * A warning for an address the runtime will refuse (checked only where the deployment refuses
 * private networks): without it the request would take Failure and nobody would know why.
 */
function refusedAddress(url: string, pointer: string): Problem[] {
  const host = refusedHost(url);
  if (host === null) return [];
  return [
    warning(
      `${pointer}/config/url`,
      `“${host}” is a private or local address, and this Parley server does not call those, so this request would take Failure. Use the service's public address, or ask whoever runs Parley to allow private addresses.`,
    ),
  ];
}

function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}
