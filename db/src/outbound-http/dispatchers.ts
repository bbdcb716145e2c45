import { Agent, fetch as undiciFetch } from 'undici';
import { publicOnlyConnector } from './address-guard.js';

// Shared so connections are pooled across requests; undici unrefs idle sockets, so neither agent
// keeps a CLI process alive.
const unrestricted = new Agent();
const publicOnly = new Agent({ connect: publicOnlyConnector() });

/** Where outgoing HTTP goes: public addresses only, unless PARLEY_ALLOW_PRIVATE_HTTP=1. */
export function dispatcherFor(allowPrivate: boolean): Agent {
  return allowPrivate ? unrestricted : publicOnly;
}

/**
 * A fetch that goes out through dispatcherFor, for libraries that take a fetch of their own (the AI
 * SDK's providers): the private-address guard holds for them too.
 */
export function fetchFor(allowPrivate: boolean): typeof globalThis.fetch {
  const dispatcher = dispatcherFor(allowPrivate);
  // undici's fetch is the one Node's global fetch is built on; only its types are its own.
  return ((input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof globalThis.fetch;
}
