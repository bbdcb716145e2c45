import ipaddr from 'ipaddr.js';

/**
 * The client a request counts against in rate limits: its IPv4 address, or its IPv6 /64 network,
 * since one IPv6 subscriber usually holds a whole /64 and could otherwise take a fresh address, and
 * fresh counters, for every attempt.
 */
export function clientAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const network = (address as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':');
  return `${network}::/64`;
}
