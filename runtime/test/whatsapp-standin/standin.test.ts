/**
 * The REAL whatsapp-web.js Client, in the real system Chromium, driven end to end offline through the
 * WhatsApp Web stand-in (page.js + standin.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import wwebjs, { type Message, type PollVote } from 'whatsapp-web.js';
import {
  destroyAllClients,
  destroyClient,
  killProcessesMentioning,
  launchClient,
  processesMentioning,
} from './client-harness.js';
import {
  assertStandinCovers,
  DIRECT_LOOPBACK_ARG,
  installedWwebjs,
  moduleInventory,
  STANDIN_BUILT_FOR,
  standinCoverage,
  WhatsAppStandin,
} from './standin.js';

const { Poll, MessageMedia } = wwebjs;

const root = mkdtempSync(join(tmpdir(), 'wa-standin-test-'));
const standins: WhatsAppStandin[] = [];
const timings: Record<string, number> = {};

async function newStandin(
  options: Parameters<typeof WhatsAppStandin.start>[0] = {},
): Promise<WhatsAppStandin> {
  const standin = await WhatsAppStandin.start({ cacheDir: mkdtempSync(join(root, 'cache-')), ...options });
  standins.push(standin);
  return standin;
}

/** What the tripwire in the pairing test touches on purpose (sorted). */
const TRIPWIRE = ['WAWebCollections.Msg.search', 'WAWebPhoneUtils'];

const ANA = '+15551234567';
const ANA_ID = '15551234567@c.us';
const PNG_1PX =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

afterEach(async () => {
  await destroyAllClients();
});

afterAll(async () => {
  await destroyAllClients();
  killProcessesMentioning(root);
  await Promise.all(standins.map((s) => s.close()));
  rmSync(root, { recursive: true, force: true });
  console.log('whatsapp-standin timings (ms):', timings);
});

describe('the stand-in matches the installed whatsapp-web.js', () => {
  test('installed package version is the one the stand-in was built for', () => {
    const installed = installedWwebjs();
    expect(installed.version, 'whatsapp-web.js changed: re-read its src/ and update page.js').toBe(
      STANDIN_BUILT_FOR.wwebjs,
    );
    expect(installed.defaultWebVersion).toBe(STANDIN_BUILT_FOR.webVersion);
  });

  test('every WhatsApp Web module id the library references is implemented or explicitly out of scope', () => {
    const inventory = moduleInventory();
    expect(inventory.unaccounted, 'module ids new to the library').toEqual([]);
    expect(inventory.stale, 'listed module ids the library no longer mentions').toEqual([]);
    expect(inventory.implemented.length).toBeGreaterThan(40);
  });
});

describe('driving the real Client', () => {
  const mainAuth = join(root, 'auth-main');
  let mainStandin: WhatsAppStandin;

  test('qr → scan → authenticated → ready, then messages both ways, polls, acks, media, disconnects', async () => {
    const t0 = Date.now();
    mainStandin = await newStandin({ unregistered: ['+15550000404'] });
    const standin = mainStandin;
    const { client, events } = launchClient(standin, mainAuth, { client: { deviceName: 'Parley' } });

    const [firstQr] = await events.waitFor<string>('qr', () => true, 20_000);
    timings.qr = Date.now() - t0;
    expect(firstQr.split(',')).toHaveLength(5);
    const ref = await standin.rotateQr(); // WhatsApp Web refreshes the QR code
    const [qr] = await events.waitFor<string>('qr', (q: string) => q.startsWith(`${ref},`));
    await expect(standin.scanQr(firstQr)).rejects.toThrow(/stale QR/);
    await standin.scanQr(qr);
    await events.waitFor('authenticated');
    await events.waitFor('ready');
    timings.ready = Date.now() - t0;
    expect(events.all('qr')).toHaveLength(2);
    expect(events.all('loading_screen').map((e) => e.args[0])).toEqual([50, 100]);
    expect(standin.transport).toBe('bridge'); // Chromium blocks https://web.whatsapp.com → 127.0.0.1 otherwise
    expect(client.info.wid._serialized).toBe(`${standin.me}@c.us`);
    expect(client.info.pushname).toBe(standin.pushname);
    expect(await client.getState()).toBe('CONNECTED');

    // --- inbound text
    const inboundId = await standin.receiveText(ANA, 'hello there', {
      id: 'ABCDEF0123456789ABCDEF0123456789',
      timestamp: 1_700_000_000,
      pushname: 'Ana',
    });
    const [hello] = await events.waitFor<Message>('message', (m: Message) => m.body === 'hello there');
    timings.firstMessage = Date.now() - t0;
    expect(inboundId).toBe(`false_${ANA_ID}_ABCDEF0123456789ABCDEF0123456789`);
    expect(hello.id._serialized).toBe(inboundId);
    expect(hello.from).toBe(ANA_ID);
    expect(hello.to).toBe(`${standin.me}@c.us`);
    expect(hello.fromMe).toBe(false);
    expect(hello.type).toBe('chat');
    expect(hello.timestamp).toBe(1_700_000_000);
    expect(hello.hasMedia).toBe(false);
    expect(hello.deviceType).toBe('android');
    expect((hello.rawData as { notifyName?: string }).notifyName).toBe('Ana');

    // --- chat lookups and typing
    const chat = await client.getChatById(ANA_ID);
    expect(chat.id._serialized).toBe(ANA_ID);
    expect(chat.name).toBe('Ana');
    expect(chat.isGroup).toBe(false);
    expect(chat.lastMessage?.body).toBe('hello there');
    await chat.sendStateTyping();
    await standin.waitForEvent('chatstate', (e) => e.chatId === ANA_ID && e.state === 'composing');
    await client.sendPresenceAvailable();
    await standin.waitForEvent('presence', (e) => e.state === 'available');
    expect((await hello.getContact()).pushname).toBe('Ana');
    expect((await client.getChats()).map((c) => c.id._serialized)).toEqual([ANA_ID]);
    expect((await client.getContacts()).map((c) => c.pushname)).toContain('Ana');

    // --- outbound text
    const sentText = await client.sendMessage(ANA_ID, 'Hi Ana! https://example.com');
    expect(sentText.id._serialized).toMatch(new RegExp(`^true_${ANA_ID}_3EB0[0-9A-F]+$`));
    expect(sentText.fromMe).toBe(true);
    const onServer = await standin.waitForSent((m) => m.id === sentText.id._serialized);
    expect(onServer).toMatchObject({ chatId: ANA_ID, type: 'chat', body: 'Hi Ana! https://example.com' });
    expect(events.all('message').some((e) => (e.args[0] as Message).fromMe)).toBe(false); // own → message_create only
    await events.waitFor('message_create', (m: Message) => m.id._serialized === sentText.id._serialized);
    await standin.waitForEvent('seen', (e) => e.chatId === ANA_ID); // sendSeen before sending
    await events.waitFor(
      'message_ack',
      (m: Message, ack: number) => m.id._serialized === sentText.id._serialized && ack === 1,
    );

    // --- delivery receipts
    await standin.ack(sentText.id._serialized, 3);
    const [acked, level] = await events.waitFor<unknown>(
      'message_ack',
      (m: Message, ack: number) => m.id._serialized === sentText.id._serialized && ack === 3,
    );
    expect((acked as Message).ack).toBe(3);
    expect(level).toBe(3);
    await expect(standin.ack('true_nobody@c.us_X', 2)).rejects.toThrow(/unknown message/);

    // --- reply (quoted)
    const reply = await hello.reply('pong');
    const replyOnServer = await standin.waitForSent((m) => m.id === reply.id._serialized);
    expect(replyOnServer.quotedMsgId).toBe(inboundId);
    expect(reply.hasQuotedMsg).toBe(true);
    expect((await reply.getQuotedMessage()).body).toBe('hello there');

    // --- polls and votes
    const pollMsg = await client.sendMessage(ANA_ID, new Poll('Pick a colour', ['Red', 'Blue', 'Green']));
    expect(pollMsg.type).toBe('poll_creation');
    const pollOnServer = await standin.waitForSent((m) => m.id === pollMsg.id._serialized);
    expect(pollOnServer.poll).toEqual({
      name: 'Pick a colour',
      options: ['Red', 'Blue', 'Green'],
      allowMultipleAnswers: false,
    });
    await standin.votePoll(pollMsg.id._serialized, ANA, ['Blue']);
    const [vote] = await events.waitFor<PollVote>('vote_update');
    expect(vote.voter).toBe(ANA_ID);
    expect(vote.selectedOptions).toEqual([{ name: 'Blue', localId: 1 }]);
    expect(vote.parentMessage.id._serialized).toBe(pollMsg.id._serialized);
    expect(vote.parentMessage.pollName).toBe('Pick a colour');
    await standin.votePoll(pollMsg.id._serialized, ANA, []); // vote withdrawn
    const [withdrawn] = await events.waitFor<PollVote>(
      'vote_update',
      (v: PollVote) => v.selectedOptions.length === 0,
    );
    expect(withdrawn.voter).toBe(ANA_ID);
    await expect(standin.votePoll(pollMsg.id._serialized, ANA, ['Purple'])).rejects.toThrow(
      /no option "Purple"/,
    );
    const votes = await pollMsg.getPollVotes();
    expect(votes).toHaveLength(1);

    // --- media out
    const media = new MessageMedia('image/png', PNG_1PX, 'dot.png');
    const sentImage = await client.sendMessage(ANA_ID, media, { caption: 'a dot' });
    expect(sentImage.hasMedia).toBe(true);
    expect(sentImage.type).toBe('image');
    const imageOnServer = await standin.waitForSent((m) => m.id === sentImage.id._serialized);
    expect(imageOnServer).toMatchObject({ type: 'image', caption: 'a dot' });
    expect(imageOnServer.media).toMatchObject({ mimetype: 'image/png', filename: 'dot.png', data: PNG_1PX });
    const pdf = new MessageMedia(
      'application/pdf',
      Buffer.from('%PDF-1.4 standin').toString('base64'),
      'terms.pdf',
    );
    const sentDoc = await client.sendMessage(ANA_ID, pdf, { sendMediaAsDocument: true });
    const docOnServer = await standin.waitForSent((m) => m.id === sentDoc.id._serialized);
    expect(docOnServer.type).toBe('document');
    expect(docOnServer.media?.filename).toBe('terms.pdf');

    // --- media and location in
    await standin.receiveMedia(ANA, {
      mimetype: 'image/jpeg',
      data: Buffer.from('not really a jpeg'),
      filename: 'photo.jpg',
      caption: 'my photo',
    });
    const [photo] = await events.waitFor<Message>('message', (m: Message) => m.type === 'image');
    expect(photo.hasMedia).toBe(true);
    expect(photo.body).toBe('my photo');
    const download = await photo.downloadMedia();
    expect(download.mimetype).toBe('image/jpeg');
    expect(Buffer.from(download.data, 'base64').toString()).toBe('not really a jpeg');
    await standin.receiveLocation(ANA, {
      latitude: 52.52,
      longitude: 13.405,
      name: 'Berlin',
      address: 'Mitte',
    });
    const [place] = await events.waitFor<Message>('message', (m: Message) => m.type === 'location');
    expect(place.location.latitude).toBe(52.52);
    expect(place.location.longitude).toBe(13.405);
    expect(place.location.name).toBe('Berlin');

    // --- a sender known by LID, phone number resolvable
    const lidMsgId = await standin.receiveText('+15557654321', 'via lid', {
      lid: '88776655443322',
      pushname: 'Bo',
    });
    const [viaLid] = await events.waitFor<Message>('message', (m: Message) => m.body === 'via lid');
    expect(viaLid.from).toBe('88776655443322@lid');
    expect(viaLid.id._serialized).toBe(lidMsgId);
    expect(await client.getContactLidAndPhone([viaLid.from])).toEqual([
      { lid: '88776655443322@lid', pn: '15557654321@c.us' },
    ]);
    const lidContact = await viaLid.getContact();
    expect(lidContact.id._serialized).toBe('15557654321@c.us');
    expect(await client.getNumberId('15550009999')).toMatchObject({ _serialized: '15550009999@c.us' });
    expect(await client.isRegisteredUser('15550000404@c.us')).toBe(false);

    // --- a chat that does not exist yet, history, own reactions
    const cold = await client.sendMessage('15550002222@c.us', 'first contact');
    expect((await standin.waitForSent((m) => m.id === cold.id._serialized)).chatId).toBe('15550002222@c.us');
    const history = await chat.fetchMessages({ limit: 50 });
    expect(history.map((m) => m.body)).toContain('hello there');
    await hello.react('🎉');
    expect(await standin.waitForSent((m) => m.type === 'reaction')).toMatchObject({
      chatId: ANA_ID,
      reaction: { msgId: inboundId, emoji: '🎉' },
    });

    // --- reactions and calls
    await standin.react(sentText.id._serialized, ANA, '👍');
    const [reaction] = await events.waitFor<{ reaction: string; senderId: string }>('message_reaction');
    expect(reaction).toMatchObject({ reaction: '👍', senderId: ANA_ID });
    await standin.incomingCall(ANA, { isVideo: true });
    const [call] = await events.waitFor<{ from: string; isVideo: boolean }>('call');
    expect(call).toMatchObject({ from: ANA_ID, isVideo: true });

    // --- connection drops and comes back; traffic is held meanwhile
    await standin.disconnect();
    await events.waitFor('change_state', (s: string) => s === 'TIMEOUT');
    expect(await client.getState()).toBe('TIMEOUT');
    const whileOffline = await client.sendMessage(ANA_ID, 'sent while offline');
    expect(whileOffline.ack).toBe(0);
    await standin.receiveText(ANA, 'written while you were offline');
    await new Promise((r) => setTimeout(r, 200));
    expect(standin.sent().some((m) => m.id === whileOffline.id._serialized)).toBe(false);
    expect(
      events.all('message').some((e) => (e.args[0] as Message).body === 'written while you were offline'),
    ).toBe(false);
    await standin.reconnect();
    await events.waitFor('change_state', (s: string) => s === 'CONNECTED');
    await standin.waitForSent((m) => m.id === whileOffline.id._serialized);
    await events.waitFor('message', (m: Message) => m.body === 'written while you were offline');
    expect(events.all('disconnected')).toHaveLength(0);
    expect(await client.getState()).toBe('CONNECTED');

    standin.assertCovers();
    expect(standin.events('page-error')).toEqual([]);
    timings.mainFlow = Date.now() - t0;

    // --- destroy leaves no Chromium behind
    const profile = join(mainAuth, 'session');
    expect(processesMentioning(profile).length).toBeGreaterThan(0);
    await destroyClient(client);
    expect(processesMentioning(profile)).toEqual([]);
  }, 60_000);

  test('restart with the same LocalAuth dir: ready without a QR; conflict; remote logout → LOGOUT', async () => {
    const standin = mainStandin;
    expect(standin.hasSession).toBe(true);
    const t0 = Date.now();
    const second = launchClient(standin, mainAuth);
    await second.events.waitFor('ready', () => true, 20_000);
    timings.restartReady = Date.now() - t0;
    expect(second.events.all('qr')).toHaveLength(0);
    expect(second.events.all('authenticated')).toHaveLength(1);
    expect(second.client.info.wid._serialized).toBe(`${standin.me}@c.us`);

    // A poll sent before the restart can still be voted on: the page fetches it from the server.
    const poll = standin.sent().find((m) => m.type === 'poll_creation');
    if (!poll) throw new Error('no poll');
    await standin.votePoll(poll.id, ANA, ['Green']);
    const [vote] = await second.events.waitFor<PollVote>('vote_update');
    expect(vote.selectedOptions.map((o) => o.name)).toEqual(['Green']);

    // Another WhatsApp Web takes over: the library reports CONFLICT and destroys itself.
    await standin.conflict();
    const [reason] = await second.events.waitFor<string>('disconnected');
    expect(reason).toBe('CONFLICT');
    await waitUntil(() => processesMentioning(join(mainAuth, 'session')).length === 0, 10_000);
    await destroyClient(second.client);

    // The session survives a conflict: the next start is ready without a QR; then the phone logs out.
    await standin.reconnect();
    const third = launchClient(standin, mainAuth);
    await third.events.waitFor('ready', () => true, 20_000);
    expect(third.events.all('qr')).toHaveLength(0);
    await standin.logoutFromPhone();
    const [logoutReason] = await third.events.waitFor<string>('disconnected', () => true, 15_000);
    expect(logoutReason).toBe('LOGOUT');
    const [freshQr] = await third.events.waitFor<string>('qr', () => true, 15_000); // WhatsApp Web shows a QR again
    expect(freshQr.split(',')[0]).not.toBe('');
    expect(standin.hasSession).toBe(false);
    // Let the library finish re-injecting into the reloaded page: destroying the client in the middle of
    // Client.inject() (run from its framenavigated handler) is an unhandled rejection inside whatsapp-web.js.
    const reloaded = standin.events('page').at(-1)?.link;
    await standin.waitForEvent('injected', (e) => e.link === reloaded);
    await new Promise((r) => setTimeout(r, 100));
    await destroyClient(third.client);

    // And the next start needs a new QR.
    const fourth = launchClient(standin, mainAuth);
    await fourth.events.waitFor('qr', () => true, 20_000);
    await destroyClient(fourth.client);
  }, 60_000);

  test('pairing code instead of QR (direct WebSocket transport), then client.logout()', async () => {
    const standin = await newStandin();
    const auth = join(root, 'auth-pairing');
    const { client, events } = launchClient(standin, auth, {
      extraArgs: [DIRECT_LOOPBACK_ARG],
      client: {
        pairWithPhoneNumber: { phoneNumber: standin.me, showNotification: false, intervalMs: 180_000 },
      },
    });
    const [code] = await events.waitFor<string>('code', () => true, 20_000);
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(standin.transport).toBe('websocket');
    expect(events.all('qr')).toHaveLength(0);
    expect(standin.pairingRequests()).toEqual([expect.objectContaining({ phoneNumber: standin.me, code })]);
    await expect(standin.confirmPairingCode('WRONG123')).rejects.toThrow(/wrong pairing code/);
    await standin.confirmPairingCode(code);
    await events.waitFor('ready');

    // Tripwire: library paths into modules/members the stand-in lacks fail in the page and in assertCovers().
    await expect(client.getFormattedNumber('15551234567')).rejects.toThrow(
      /unknown module "WAWebPhoneUtils"/,
    );
    await expect(client.searchMessages('hello')).rejects.toThrow();
    await waitUntil(() => standin.coverage().missing.length === TRIPWIRE.length, 5_000);
    expect(standin.coverage().missing).toEqual(TRIPWIRE);
    expect(() => standin.assertCovers()).toThrow(/WAWebCollections\.Msg\.search[\s\S]*WAWebPhoneUtils/);
    standin.assertCovers({ allowMissing: TRIPWIRE });

    await client.logout();
    await standin.waitForEvent('logout', (e) => e.by === 'client');
    expect(standin.hasSession).toBe(false);
    expect(existsSync(join(auth, 'session'))).toBe(false);
    expect(processesMentioning(auth)).toEqual([]);
  }, 40_000);

  test('ready can be made never to fire (for ready-timeout tests)', async () => {
    const standin = await newStandin({ readyMode: 'stall-sync' });
    const stalled = launchClient(standin, join(root, 'auth-stall-sync'));
    await stalled.events.waitFor('qr', () => true, 20_000);
    await standin.scanQr();
    await standin.waitForState('CONNECTED');
    expect(await stalled.events.firesWithin('authenticated', 1_500)).toBe(false);
    expect(stalled.events.all('ready')).toHaveLength(0);
    expect(await stalled.client.getState()).toBe('CONNECTED');
    await destroyClient(stalled.client);

    const standin2 = await newStandin({ readyMode: 'stall-after-auth' });
    const halfway = launchClient(standin2, join(root, 'auth-stall-after-auth'));
    await halfway.events.waitFor('qr', () => true, 20_000);
    await standin2.scanQr();
    await halfway.events.waitFor('authenticated');
    expect(await halfway.events.firesWithin('ready', 1_500)).toBe(false);
    await destroyClient(halfway.client);
  }, 40_000);
});

describe('coverage', () => {
  test('whatsapp-web.js touched no WhatsApp Web module or member the stand-in lacks', () => {
    expect(() => assertStandinCovers()).toThrow(/WAWebPhoneUtils/); // the tripwire above
    const report = assertStandinCovers({ allowMissing: TRIPWIRE });
    console.log(`whatsapp-standin: ${report.required.length} modules required:`, report.required.join(' '));
    expect(standinCoverage().missing).toEqual(TRIPWIRE);
    expect(report.required).toEqual(
      expect.arrayContaining(['WAWebSocketModel', 'WAWebCollections', 'WAWebMsgKey']),
    );
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
