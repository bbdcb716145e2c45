import { isNodeType, nodeDefinition } from '../nodes/registry.js';

/**
 * Header values of HTTP requests (a node's `secretRecord`) are secrets (API keys, bearer tokens). These helpers walk a
 * definition — any JSON, valid or not, since drafts may be half-edited — and replace header values
 * without touching anything else. They never see keys: encryption is the caller's (the API and the
 * runtime), masking is the same everywhere.
 */

export const SAVED_SECRET = { secret: true } as const;

export interface HeaderAt {
  nodeId: string;
  header: string;
  /** The node's config, e.g. to compare its url. */
  config: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The `{ "secret": true }` marker: a saved value, not shown. */
export function isSavedSecret(value: unknown): boolean {
  return isObject(value) && value.secret === true && Object.keys(value).length === 1;
}

/**
 * How the API stores a header value inside a definition: `{ "secret": "<ciphertext>" }`. Not a
 * Flow Document value on purpose: a stored definition fails validation until the server opens it.
 */
export interface StoredSecret {
  secret: string;
}

export function isStoredSecret(value: unknown): value is StoredSecret {
  return isObject(value) && typeof value.secret === 'string' && Object.keys(value).length === 1;
}

/** A copy of `definition` with every secret header value replaced by `replace(value, at)`. */
export function mapHeaderValues(
  definition: unknown,
  replace: (value: unknown, at: HeaderAt) => unknown,
): unknown {
  if (!isObject(definition) || !Array.isArray(definition.nodes)) return definition;
  return {
    ...definition,
    nodes: definition.nodes.map((node: unknown) => {
      if (!isObject(node) || !isNodeType(node.type) || !isObject(node.config)) return node;
      const field = nodeDefinition(node.type).secretRecord;
      const config = node.config;
      const secrets = field === undefined ? undefined : config[field];
      if (field === undefined || !isObject(secrets)) return node;
      const nodeId = typeof node.id === 'string' ? node.id : '';
      const headers = Object.fromEntries(
        Object.entries(secrets).map(([header, value]) => [
          header,
          replace(value, { nodeId, header, config }),
        ]),
      );
      return { ...node, config: { ...config, [field]: headers } };
    }),
  };
}

/** The definition as anyone may see it: every header value shown as the saved-secret marker. */
export function maskHeaderValues(definition: unknown): unknown {
  return mapHeaderValues(definition, () => SAVED_SECRET);
}
