import { describe, expect, it } from 'vitest';
import { personName, personOf } from '../conversations/people.js';
import { messageSummary } from './message-summary.js';

describe('the inbox names messages and people in a line', () => {
  it('says what a message is when it has no text, and keeps a caption', () => {
    expect(messageSummary('text', { text: '  Where is my order? ' })).toBe('Where is my order?');
    expect(messageSummary('media', { media: { mimeType: 'image/jpeg', name: 'a.jpg' } })).toBe('Picture');
    expect(
      messageSummary('media', { text: 'The menu', media: { mimeType: 'application/pdf', name: 'menu.pdf' } }),
    ).toBe('Document (menu.pdf): The menu');
    expect(messageSummary('media', { media: { mimeType: 'audio/ogg' } })).toBe('Voice message');
    expect(messageSummary('location', { location: { lat: 1, lng: 2 } })).toBe('Location');
    expect(messageSummary('text', {})).toBe('Message');
  });

  it('names a person by their email before the @, and no one without an account', () => {
    expect(personName('ana.silva@shop.example')).toBe('ana.silva');
    expect(personOf('u1', 'ben@shop.example')).toEqual({ id: 'u1', name: 'ben' });
    expect(personOf('u1', null)).toBeNull();
    expect(personOf(null, null)).toBeNull();
  });
});
