import { describe, expect, it } from 'vitest';
import {
  choiceIdsForVote,
  classifyInbound,
  contactOfLid,
  inSentOrder,
  isStale,
  mediaFileName,
  phoneOfJid,
  receiptOfAck,
  senderOf,
  toInboundMessage,
  voteMessageId,
} from './translate-inbound.js';
import type { WaIncoming } from './wa-client.js';

const MB = 1024 * 1024;
const base: WaIncoming = {
  id: 'false_4915112345678@c.us_ABC',
  chatId: '4915112345678@c.us',
  fromMe: false,
  type: 'chat',
  body: 'hi',
  timestamp: 1_800_000_000,
  hasMedia: false,
  isStatus: false,
  broadcast: false,
};
const context = { numberId: 'n1', contact: '+4915112345678', nowMs: 1_800_000_001_000, maxAgeMs: 600_000 };

describe('senders', () => {
  it('maps phone chat ids to E.164 and recognises @lid', () => {
    expect(phoneOfJid('4915112345678@c.us')).toBe('+4915112345678');
    expect(phoneOfJid('4915112345678:12@s.whatsapp.net')).toBe('+4915112345678');
    expect(phoneOfJid('120363@g.us')).toBeNull();
    expect(senderOf('4915112345678@c.us')).toEqual({ kind: 'phone', contact: '+4915112345678' });
    expect(senderOf('98765432109876@lid')).toEqual({ kind: 'lid', lid: '98765432109876@lid' });
    expect(senderOf('status@broadcast')).toEqual({ kind: 'other' });
    expect(contactOfLid('98765432109876@lid')).toBe('lid:98765432109876');
  });
});

describe('classifyInbound', () => {
  it('takes text', () => {
    expect(classifyInbound(base, MB)).toEqual({ kind: 'text', text: 'hi' });
  });

  it('ignores our own, group, status and broadcast messages', () => {
    expect(classifyInbound({ ...base, fromMe: true }, MB).kind).toBe('ignore');
    expect(classifyInbound({ ...base, chatId: '1203630@g.us' }, MB).kind).toBe('ignore');
    expect(classifyInbound({ ...base, chatId: 'status@broadcast', isStatus: true }, MB).kind).toBe('ignore');
    expect(classifyInbound({ ...base, type: 'e2e_notification' }, MB).kind).toBe('ignore');
  });

  it('takes a location', () => {
    expect(
      classifyInbound(
        { ...base, type: 'location', body: '', location: { lat: 52.5, lng: 13.4, name: 'Berlin' } },
        MB,
      ),
    ).toEqual({ kind: 'location', location: { lat: 52.5, lng: 13.4, name: 'Berlin' } });
  });

  it('takes media with its caption and flags what is over the cap', () => {
    const image = {
      ...base,
      type: 'image',
      body: 'my id',
      hasMedia: true,
      mimeType: 'image/jpeg',
      size: 2 * MB,
    };
    expect(classifyInbound(image, 16 * MB)).toEqual({
      kind: 'media',
      mimeType: 'image/jpeg',
      size: 2 * MB,
      caption: 'my id',
      tooLarge: false,
    });
    expect(classifyInbound({ ...image, size: 20 * MB }, 16 * MB)).toMatchObject({ tooLarge: true });
    expect(
      classifyInbound({ ...base, type: 'ptt', body: '', hasMedia: true, mimeType: 'audio/ogg' }, MB),
    ).toMatchObject({
      kind: 'media',
      mimeType: 'audio/ogg',
    });
  });
});

describe('toInboundMessage', () => {
  it('makes text, names and captions storable (NUL and lone surrogates become U+FFFD)', () => {
    expect(
      toInboundMessage(
        { ...base, notifyName: 'Ann\ud800' },
        { kind: 'text', text: 'hi\u0000there' },
        context,
      ),
    ).toMatchObject({ contactName: 'Ann\uFFFD', text: 'hi\uFFFDthere' });
    const media = toInboundMessage(
      { ...base, type: 'document' },
      { kind: 'media', mimeType: 'application/pdf', caption: 'cap\udc00', tooLarge: false },
      {
        ...context,
        media: { url: 'file:///m/a.pdf', mimeType: 'application/pdf', name: 'a\u0000.pdf', size: 3 },
      },
    );
    expect(media).toMatchObject({ text: 'cap\uFFFD', media: { name: 'a\uFFFD.pdf' } });
    // Ordinary text is left exactly as it came.
    expect(toInboundMessage(base, { kind: 'text', text: 'olá 😀' }, context)).toMatchObject({
      text: 'olá 😀',
    });
  });

  it('builds the runtime message with the sender name and send time', () => {
    expect(toInboundMessage({ ...base, notifyName: 'Ann' }, { kind: 'text', text: 'hi' }, context)).toEqual({
      numberId: 'n1',
      contact: '+4915112345678',
      contactName: 'Ann',
      id: base.id,
      text: 'hi',
      sentAt: 1_800_000_000_000,
    });
  });

  it('flags messages too old to answer', () => {
    const old = toInboundMessage(
      { ...base, timestamp: 1_800_000_000 - 3600 },
      { kind: 'text', text: 'hi' },
      context,
    );
    expect(old?.stale).toBe(true);
    expect(isStale(0, 1000, 0)).toBe(false);
  });

  it('passes stored media as {url, mimeType, name, size}, the caption as text', () => {
    const media = { url: 'file:///m/n1/a.jpg', mimeType: 'image/jpeg', name: 'a.jpg', size: 10 };
    const message = toInboundMessage(
      { ...base, type: 'image' },
      { kind: 'media', mimeType: 'image/jpeg', caption: 'see', tooLarge: false },
      { ...context, media },
    );
    expect(message).toMatchObject({ media, text: 'see' });
  });

  it('hands an undownloadable or oversized file over as its caption only', () => {
    const message = toInboundMessage(
      { ...base, type: 'image' },
      { kind: 'media', mimeType: 'image/jpeg', tooLarge: true },
      context,
    );
    expect(message?.media).toBeUndefined();
    expect(message?.text).toBe('');
  });
});

describe('poll votes', () => {
  const choices = [
    { id: 'c1', label: 'Basic', value: 'basic' },
    { id: 'c2', label: ' Pro ', value: 'pro' },
    { id: 'c3', label: 'Team', value: 'team' },
  ];

  it('maps option names back to choice ids, in the order picked', () => {
    expect(
      choiceIdsForVote(
        [
          { name: 'Team', localId: 2 },
          { name: 'Pro', localId: 1 },
        ],
        choices,
      ),
    ).toEqual(['c3', 'c2']);
  });

  it('falls back to positions when names are missing, and drops unknown options', () => {
    expect(choiceIdsForVote([{ localId: 0 }, { name: 'Gone', localId: 9 }], choices)).toEqual(['c1']);
  });

  it('gives each vote its own message id', () => {
    expect(voteMessageId({ pollMessageId: 'p', voter: 'v@c.us', selected: [], at: 5 })).toBe(
      'vote:p:v@c.us:5',
    );
  });
});

describe('bursts, receipts, files', () => {
  it('orders a burst by send time, keeping arrival order for equal stamps', () => {
    const burst = [
      { id: 'b', timestamp: 2 },
      { id: 'a', timestamp: 1 },
      { id: 'c', timestamp: 2 },
    ];
    expect(inSentOrder(burst).map((m) => m.id)).toEqual(['a', 'b', 'c']);
  });

  it('maps acks to receipts', () => {
    expect([-1, 0, 1, 2, 3, 4].map(receiptOfAck)).toEqual([
      'failed',
      null,
      'sent',
      'delivered',
      'read',
      'read',
    ]);
  });

  it('names stored files safely', () => {
    expect(mediaFileName('false_49@c.us_AB/../C', 'image/jpeg')).toBe('false_49_c_us_AB____C.jpg');
    expect(mediaFileName('id', 'application/x-thing', 'report.DOCX')).toBe('id.docx');
    expect(mediaFileName('id', 'application/x-thing')).toBe('id');
  });
});
