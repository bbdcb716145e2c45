import { BlockedAddressError } from '@parley/db';
import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('describeError', () => {
  it('finds the system error behind undici wrappers', () => {
    const err = new TypeError('fetch failed', {
      cause: withCode('getaddrinfo ENOTFOUND x.test', 'ENOTFOUND'),
    });
    expect(describeError(err, 'x.test')).toBe('could not resolve host x.test');
  });

  it('looks inside the AggregateError of a multi-address connect', () => {
    const err = new AggregateError([withCode('connect ECONNREFUSED', 'ECONNREFUSED')], 'failed');
    expect(describeError(err, 'api.test:8080')).toBe('connection refused by api.test:8080');
  });

  it('passes the guard refusal through unchanged', () => {
    expect(describeError(new BlockedAddressError('10.0.0.1'), 'intranet.test')).toBe(
      'The request to 10.0.0.1 was refused: Parley does not call private network addresses',
    );
  });

  it('reduces OpenSSL errors to their reason', () => {
    const err = Object.assign(
      withCode('80ECC1:error:0A00010B:SSL routines:...\n', 'ERR_SSL_WRONG_VERSION_NUMBER'),
      {
        reason: 'wrong version number',
      },
    );
    expect(describeError(err, 'api.test')).toBe('TLS handshake with api.test failed: wrong version number');
  });

  it('falls back to the original message', () => {
    expect(describeError(new Error('self-signed certificate'), 'api.test')).toBe(
      'request to api.test failed: self-signed certificate',
    );
  });

  it('survives a cyclic cause', () => {
    const err = new Error('loop');
    err.cause = err;
    expect(describeError(err, 'api.test')).toBe('request to api.test failed: loop');
  });
});
