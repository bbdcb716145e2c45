import { type Static, Type } from '@sinclair/typebox';
import {
  HttpHeaders,
  HttpUrl,
  headerTemplates,
  refusedAddress,
  SavedSecret,
  unsavedSecrets,
} from '../http-parts.js';
import { defineNode } from '../node-definition.js';
import { VariableName } from '../shared.js';
import { StringEnum } from '../string-enum.js';

export { SavedSecret };

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export const HttpRequestConfig = Type.Object(
  {
    url: HttpUrl,
    method: Type.Optional(StringEnum(HTTP_METHODS)),
    headers: Type.Optional(HttpHeaders),
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
      ...headerTemplates(config.headers),
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
    ...(ctx.allowPrivateHttp
      ? []
      : refusedAddress(config.url, `${ctx.pointer}/config/url`, 'this request would take Failure')),
    ...unsavedSecrets(config.headers, ctx.pointer),
  ],
});
