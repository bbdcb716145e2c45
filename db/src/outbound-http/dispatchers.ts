import { Agent } from 'undici';
import { publicOnlyConnector } from './address-guard.js';

// Shared so connections are pooled across requests; undici unrefs idle sockets, so neither agent
// keeps a CLI process alive.
const unrestricted = new Agent();
const publicOnly = new Agent({ connect: publicOnlyConnector() });

/** Where outgoing HTTP goes: public addresses only, unless PARLEY_ALLOW_PRIVATE_HTTP=1. */
export function dispatcherFor(allowPrivate: boolean): Agent {
  return allowPrivate ? unrestricted : publicOnly;
}
