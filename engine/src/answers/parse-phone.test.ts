import { describe, expect, it } from 'vitest';
import { countryOfPhone, parsePhone } from './parse-phone.js';

describe('parsePhone', () => {
  it('accepts a number with + and stores it in E.164', () => {
    expect(parsePhone('+351 912 345 678')).toBe('+351912345678');
    expect(parsePhone('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('reads a 00 prefix as the international +', () => {
    expect(parsePhone('00351912345678')).toBe('+351912345678');
    expect(parsePhone('0044 20 7946 0958')).toBe('+442079460958');
  });

  it('refuses a number without a country code when the flow has no default country', () => {
    expect(parsePhone('912 345 678')).toBeNull();
    expect(parsePhone('912345678')).toBeNull();
  });

  it('reads a national number in the default country', () => {
    expect(parsePhone('912 345 678', 'PT')).toBe('+351912345678');
    expect(parsePhone(' 912345678 ', 'PT')).toBe('+351912345678');
  });

  it('keeps an explicit country code over the default country', () => {
    expect(parsePhone('+44 20 7946 0958', 'PT')).toBe('+442079460958');
    expect(parsePhone('0044 20 7946 0958', 'PT')).toBe('+442079460958');
  });

  it('refuses numbers that are not valid for their country', () => {
    expect(parsePhone('+1 555')).toBeNull();
    expect(parsePhone('+351 12345')).toBeNull();
    expect(parsePhone('12345', 'PT')).toBeNull();
    expect(parsePhone('hello', 'PT')).toBeNull();
    expect(parsePhone('')).toBeNull();
  });
});

describe('countryOfPhone', () => {
  it.each([
    ['+4915123456789', 'DE'],
    ['5511987654321', 'BR'],
    ['+447700900123', 'GB'],
    ['+15550100001', 'US'],
    [undefined, undefined],
    ['not a number', undefined],
  ])('%s is in %s', (phone, country) => {
    expect(countryOfPhone(phone)).toBe(country);
  });
});
