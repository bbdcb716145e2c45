import { describe, expect, it } from 'vitest';
import { mediaFileName } from './media-name';

describe('mediaFileName', () => {
  it('prefers the name the message carries', () => {
    expect(mediaFileName({ url: 'parley-media://w/agent/x', name: 'menu.pdf' })).toBe('menu.pdf');
  });

  it('reads the name from a stored key, without the uuid the store puts before it', () => {
    expect(
      mediaFileName({ url: 'parley-media://w1/agent/6432a461-e3e0-4a6f-9469-3616461e2984-parcel.png' }),
    ).toBe('parcel.png');
  });

  it('says "file" when there is nothing to read', () => {
    expect(mediaFileName({})).toBe('file');
  });
});
