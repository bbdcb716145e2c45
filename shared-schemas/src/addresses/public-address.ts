import ipaddr from 'ipaddr.js';

// ipaddr.js labels every IPv6 address outside its special ranges 'unicast', including unassigned
// space such as the deprecated IPv4-compatible ::a.b.c.d form; only 2000::/3 is global unicast.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** True only for addresses that are routable on the public internet. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // process() unwraps IPv4-mapped IPv6 (::ffff:127.0.0.1) so the IPv4 rules apply to it.
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  return ip.range() === 'unicast' && ip.match(GLOBAL_UNICAST_V6);
}

/** Names that never leave the machine or the local network, whatever they resolve to. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/**
 * The host of a URL that the runtime will certainly refuse (a private, loopback or link-local
 * address written out, or a local name), or null. Names that resolve to private addresses are only
 * known at run time; the runtime refuses those too.
 */
export function refusedHost(url: string): string | null {
  // A templated host is only known at run time.
  if (/^[a-z]+:\/\/[^/]*\{\{/i.test(url)) return null;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch (error) {
    if (error instanceof TypeError) return null;
    throw error;
  }
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  if (ipaddr.isValid(bare)) return isPublicAddress(bare) ? null : bare;
  return LOCAL_NAMES.test(bare) ? bare : null;
}
