import { describe, expect, it } from 'vitest';
import { isPublicAddress, refusedHost } from './public-address.js';

describe('isPublicAddress', () => {
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8'])(
    'allows public %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback (whole /8)', '127.255.0.9'],
    ['IPv6 loopback', '::1'],
    ['RFC1918 10/8', '10.0.0.1'],
    ['RFC1918 172.16/12', '172.31.255.255'],
    ['RFC1918 192.168/16', '192.168.1.1'],
    ['link-local', '169.254.0.1'],
    ['cloud metadata', '169.254.169.254'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 link-local with zone', 'fe80::1%eth0'],
    ['unique local', 'fc00::1'],
    ['unique local fd', 'fd12:3456::1'],
    ['unspecified', '0.0.0.0'],
    ['this network 0/8', '0.1.2.3'],
    ['IPv6 unspecified', '::'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['carrier-grade NAT top', '100.127.255.254'],
    ['multicast', '224.0.0.1'],
    ['IPv6 multicast', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['reserved 240/4', '240.0.0.1'],
    ['documentation', '192.0.2.1'],
    ['IPv6 documentation', '2001:db8::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped loopback, hex form', '::ffff:7f00:1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
    ['IPv4-compatible loopback', '::127.0.0.1'],
    ['NAT64 of a private address', '64:ff9b::a00:1'],
    ['6to4 of loopback', '2002:7f00:1::'],
    ['decimal loopback', '2130706433'],
    ['hex loopback', '0x7f000001'],
    ['short hex loopback', '0x7f.1'],
    ['octal loopback', '0177.0.0.1'],
    ['short loopback', '127.1'],
    ['not an address', 'localhost'],
    ['empty', ''],
  ])('refuses %s (%s)', (_label, address) => {
    expect(isPublicAddress(address)).toBe(false);
  });
});

describe('refusedHost', () => {
  it.each([
    ['http://192.168.1.10/book', '192.168.1.10'],
    ['http://localhost:8080/x', 'localhost'],
    ['https://printer.local/x', 'printer.local'],
    ['http://[::1]/x', '::1'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['https://api.example.com/book', null],
    ['https://8.8.8.8/', null],
    ['https://{{host}}/book', null],
    ['https://crm.example.com/{{id}}', null],
    ['not a url', null],
  ])('%s → %s', (url, expected) => {
    expect(refusedHost(url)).toBe(expected);
  });
});
