import { lookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPublicAddress } from '@parley/schemas';
import { buildConnector } from 'undici';

export class BlockedAddressError extends Error {
  constructor(readonly address: string) {
    super(`The request to ${address} was refused: Parley does not call private network addresses`);
    this.name = 'BlockedAddressError';
  }
}

// Resolves every address of the host and refuses them all if any one is not public, so the socket
// can only ever connect to an address that passed the check (no DNS-rebinding window).
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) return callback(new BlockedAddressError(refused.address), []);
    const [first] = addresses;
    if (options.all || !first) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
};

/** An undici connector that refuses non-public destinations before any packet is sent. */
export function publicOnlyConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: publicOnlyLookup });
  return (options, callback) => {
    // Node skips lookup() for IP literals, so those are checked here.
    if (isIP(options.hostname) && !isPublicAddress(options.hostname)) {
      return callback(new BlockedAddressError(options.hostname), null);
    }
    connect(options, callback);
  };
}
