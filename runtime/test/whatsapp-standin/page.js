/*
 * WhatsApp Web stand-in page (test fixture).
 *
 * Served by whatsapp-web.js in place of https://web.whatsapp.com/ (webVersionCache type "local"), it
 * provides `window.Debug.VERSION` and the `window.require('WA…')` modules that the pinned library version
 * touches, backed by a tiny model layer (Backbone-like models and collections). The "server" and the "phone"
 * live in the Node driver (standin.ts): the page talks to it over a WebSocket on 127.0.0.1, either directly
 * or, when Chromium's Local Network Access checks block a public origin from reaching loopback, through a
 * popup "bridge" window served by the driver (top-level navigations are not subject to those checks).
 *
 * Every module id the library asks for is recorded; an id the stand-in does not implement throws (like the
 * real module system) and is reported as missing, and so is any access to a member a module lacks. The driver
 * turns that into `assertCovers()`.
 *
 * Plain browser JavaScript, no dependencies. The driver prepends `window.__STANDIN_CONFIG__ = {...}`.
 */
(() => {
  const CONFIG = window.__STANDIN_CONFIG__;
  delete window.__STANDIN_CONFIG__;
  const SESSION_KEY = 'WAStandin.session';

  /* ------------------------------------------------------------------ helpers */

  const hide = (obj, key, value) =>
    Object.defineProperty(obj, key, { value, writable: true, configurable: true, enumerable: false });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const randomHex = (n) =>
    Array.from(crypto.getRandomValues(new Uint8Array(Math.ceil(n / 2))), (b) =>
      b.toString(16).padStart(2, '0'),
    )
      .join('')
      .slice(0, n)
      .toUpperCase();
  const bytesToB64 = (bytes) => {
    let s = '';
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    for (let i = 0; i < view.length; i += 0x8000) s += String.fromCharCode(...view.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const b64ToBytes = (b64) => {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  };
  const blobToB64 = async (blob) => bytesToB64(new Uint8Array(await blob.arrayBuffer()));
  const nowSec = () => Math.floor(Date.now() / 1000);

  /* ------------------------------------------------------------------ coverage */

  const coverage = { required: new Set(), missing: new Set(), dirty: false };
  // Property names probed by generic code (promises, serializers, test matchers) rather than by the library.
  const IGNORED_PROPS = new Set(['then', 'toJSON', 'constructor', 'asymmetricMatch', 'nodeType', '$$typeof']);

  function noteCoverage(kind, id) {
    const set = coverage[kind];
    if (set.has(id)) return;
    set.add(id);
    if (kind === 'missing') console.error(`[whatsapp-standin] missing: ${id}`);
    if (!coverage.dirty) {
      coverage.dirty = true;
      setTimeout(flushCoverage, 10);
    }
  }
  function flushCoverage() {
    coverage.dirty = false;
    channel.notify('coverage', { required: [...coverage.required], missing: [...coverage.missing] });
  }

  /* ------------------------------------------------------------------ events, models, collections */

  class Events {
    _listeners(name) {
      if (!Object.hasOwn(this, '_ev')) hide(this, '_ev', Object.create(null));
      if (!this._ev[name]) this._ev[name] = [];
      return this._ev[name];
    }
    listenerCount(name) {
      return Object.hasOwn(this, '_ev') && this._ev[name] ? this._ev[name].length : 0;
    }
    on(names, callback, context) {
      for (const name of String(names).split(/\s+/).filter(Boolean)) {
        this._listeners(name).push({ callback, context });
        this.onListenerAdded(name);
      }
      return this;
    }
    off(names, callback) {
      if (!Object.hasOwn(this, '_ev')) return this;
      const list = names ? String(names).split(/\s+/).filter(Boolean) : Object.keys(this._ev);
      for (const name of list) {
        if (!this._ev[name]) continue;
        this._ev[name] = callback
          ? this._ev[name].filter((l) => l.callback !== callback && l.callback._original !== callback)
          : [];
      }
      return this;
    }
    once(names, callback, context) {
      const wrapper = (...args) => {
        this.off(names, wrapper);
        return callback.apply(context ?? this, args);
      };
      wrapper._original = callback;
      return this.on(names, wrapper, context);
    }
    trigger(name, ...args) {
      if (!Object.hasOwn(this, '_ev') || !this._ev[name]) return this;
      for (const listener of [...this._ev[name]]) {
        try {
          const result = listener.callback.apply(listener.context ?? this, args);
          if (result && typeof result.catch === 'function')
            result.catch((e) => reportError(`listener ${name}`, e));
        } catch (e) {
          reportError(`listener ${name}`, e);
        }
      }
      return this;
    }
    onListenerAdded() {}
  }

  class Model extends Events {
    constructor(attrs = {}) {
      super();
      hide(this, '_collections', []);
      Object.assign(this, attrs);
    }
    get(key) {
      return this[key];
    }
    set(keyOrAttrs, value) {
      const attrs = typeof keyOrAttrs === 'string' ? { [keyOrAttrs]: value } : keyOrAttrs || {};
      const changed = [];
      for (const [key, next] of Object.entries(attrs)) {
        const prev = this[key];
        if (prev === next) continue;
        this[key] = next;
        changed.push([key, next, prev]);
      }
      for (const [key, next, prev] of changed) this.trigger(`change:${key}`, this, next, prev);
      if (changed.length) this.trigger('change', this);
      return this;
    }
    trigger(name, ...args) {
      super.trigger(name, ...args);
      for (const collection of this._collections) collection.trigger(name, ...args);
      return this;
    }
    serialize() {
      return { ...this };
    }
    toJSON() {
      return this.serialize();
    }
    unsafe() {
      return this;
    }
  }

  const keyOf = (id) => {
    if (id == null) return '';
    if (typeof id === 'string') return id;
    if (typeof id._serialized === 'string') return id._serialized;
    return String(id);
  };

  class Collection extends Events {
    constructor(modelClass, name) {
      super();
      this.modelClass = modelClass;
      this._models = [];
      hide(this, '_byId', new Map());
      hide(this, '_name', name);
    }
    get length() {
      return this._models.length;
    }
    get(id) {
      return this._byId.get(keyOf(id));
    }
    getModelsArray() {
      return [...this._models];
    }
    add(input) {
      const many = Array.isArray(input);
      const added = [];
      for (const item of many ? input : [input]) {
        const model = item instanceof Model ? item : new this.modelClass(item);
        const key = keyOf(model.id);
        const existing = this._byId.get(key);
        if (existing) {
          if (existing !== model) existing.set(model.serialize());
          added.push(existing);
          continue;
        }
        this._models.push(model);
        this._byId.set(key, model);
        model._collections.push(this);
        added.push(model);
        this.trigger('add', model, this);
      }
      return many ? added : added[0];
    }
    remove(input) {
      const model = this.get(input instanceof Model ? input.id : input);
      if (!model) return undefined;
      this._models = this._models.filter((m) => m !== model);
      this._byId.delete(keyOf(model.id));
      model._collections.splice(model._collections.indexOf(this), 1);
      this.trigger('remove', model, this);
      return model;
    }
    async find(id) {
      return this.get(id);
    }
    toJSON() {
      return this._models.map((m) => m.toJSON());
    }
  }

  /* ------------------------------------------------------------------ ids */

  class Wid {
    constructor(serialized) {
      let [user, server] = String(serialized).split('@');
      if (!server) server = 'c.us';
      if (server === 's.whatsapp.net') server = 'c.us';
      this.server = server;
      this.user = user;
      this._serialized = `${user}@${server}`;
    }
    isUser() {
      return this.server === 'c.us' || this.server === 'lid';
    }
    isLid() {
      return this.server === 'lid';
    }
    isGroup() {
      return this.server === 'g.us';
    }
    isBroadcast() {
      return this.server === 'broadcast';
    }
    isStatus() {
      return this._serialized === 'status@broadcast';
    }
    isNewsletter() {
      return this.server === 'newsletter';
    }
    isBot() {
      return this.server === 'bot';
    }
    isCompanion() {
      return false;
    }
    isRegularUser() {
      return this.isUser();
    }
    toJid() {
      return `${this.user}@${this.server === 'c.us' ? 's.whatsapp.net' : this.server}`;
    }
    equals(other) {
      return other != null && keyOf(other) === this._serialized;
    }
    toString() {
      return this._serialized;
    }
    // Like WhatsApp's own Wid: JSON (and so puppeteer's exposeFunction arguments) carries the plain string.
    toJSON() {
      return this._serialized;
    }
  }
  const wid = (value) => (value instanceof Wid ? value : value == null ? undefined : new Wid(keyOf(value)));

  class MsgKey {
    constructor({ from, to, id, participant, selfDir, fromMe, remote }) {
      this.fromMe = selfDir ? selfDir === 'out' : Boolean(fromMe);
      this.remote = wid(remote ?? (this.fromMe ? to : from));
      this.id = id;
      if (participant) this.participant = wid(participant);
      this._serialized = `${this.fromMe}_${this.remote._serialized}_${id}${participant ? `_${wid(participant)._serialized}` : ''}`;
    }
    static async newId() {
      return `3EB0${randomHex(18)}`;
    }
    static fromString(serialized) {
      const [fromMe, remote, id, participant] = String(serialized).split('_');
      return new MsgKey({ fromMe: fromMe === 'true', remote, id, participant });
    }
    toString() {
      return this._serialized;
    }
    equals(other) {
      return other != null && keyOf(other) === this._serialized;
    }
  }

  /* ------------------------------------------------------------------ domain models */

  // Media bytes by directPath: what the stand-in "CDN" serves to downloadAndMaybeDecrypt.
  const mediaStore = new Map();

  class MsgModel extends Model {
    constructor(attrs = {}) {
      super(attrs);
      if (this.directPath) {
        hide(this, '_mediaData', new Model({ mediaStage: this.id?.fromMe ? 'RESOLVED' : 'INIT' }));
      }
    }
    get mediaData() {
      return this._mediaData;
    }
    get mediaObject() {
      return this.directPath ? { filehash: this.filehash, type: this.type } : undefined;
    }
    get isEphemeral() {
      return false;
    }
    get isStatusV3() {
      return false;
    }
    canReply() {
      return true;
    }
    async downloadMedia() {
      if (this._mediaData && mediaStore.has(this.directPath)) this._mediaData.set('mediaStage', 'RESOLVED');
      else if (this._mediaData) this._mediaData.set('mediaStage', 'ERROR_MISSING');
    }
    msgContextInfo() {
      return {
        quotedMsg: storedForm(this),
        quotedStanzaID: this.id.id,
        quotedParticipant: this.author ?? this.from,
        quotedRemoteJid: this.id.remote,
      };
    }
  }

  class ChatModel extends Model {
    constructor(attrs = {}) {
      super({
        t: nowSec(),
        unreadCount: 0,
        archive: false,
        isReadOnly: false,
        isLocked: false,
        muteExpiration: 0,
        notSpam: true,
        ...attrs,
      });
      hide(this, 'msgs', new Collection(MsgModel, 'ChatMsgs'));
      hide(this, 'mute', { expiration: 0 });
    }
    get formattedTitle() {
      const contact = Contact.get(this.id);
      return contact?.name || contact?.pushname || `+${this.id.user}`;
    }
    serialize() {
      return { ...this, msgs: this.msgs.getModelsArray() };
    }
  }

  class ContactModel extends Model {}

  const Msg = new Collection(MsgModel, 'Msg');
  const Chat = new Collection(ChatModel, 'Chat');
  const Contact = new Collection(ContactModel, 'Contact');
  const Blocklist = new Collection(Model, 'Blocklist');

  Msg.getMessagesById = async (ids) => {
    const messages = [];
    const unknown = [];
    for (const id of ids) {
      const local = Msg.get(id);
      if (local) messages.push(local);
      else unknown.push(keyOf(id));
    }
    if (unknown.length && channel.ready) {
      const { messages: stored } = await channel.request('fetch-msgs', { ids: unknown });
      for (const record of stored) messages.push(Msg.add(modelFromRecord(record)));
    }
    return { messages };
  };
  Contact.find = async (id) => ensureContact(wid(id));
  Chat.find = async (id) => Chat.get(id) ?? getOrCreateChat(wid(id));

  // Phone number <-> LID mapping as the server reveals it.
  const lidByPn = new Map();
  const pnByLid = new Map();
  function learnLid(pn, lid) {
    if (!pn || !lid) return;
    lidByPn.set(wid(pn)._serialized, wid(lid));
    pnByLid.set(wid(lid)._serialized, wid(pn));
  }

  function ensureContact(id, pushname) {
    let contact = Contact.get(id);
    if (!contact) {
      contact = Contact.add({
        id,
        type: 'in',
        isBusiness: false,
        isEnterprise: false,
        isContactBlocked: false,
        ...(id.isLid() && pnByLid.has(id._serialized) ? { phoneNumber: pnByLid.get(id._serialized) } : {}),
      });
    }
    if (pushname && contact.pushname !== pushname) contact.set('pushname', pushname);
    return contact;
  }

  function getOrCreateChat(id) {
    return Chat.get(id) ?? Chat.add(new ChatModel({ id }));
  }

  /** A model's JSON-safe record (what the server stores). */
  function storedForm(model) {
    return JSON.parse(JSON.stringify(model));
  }

  /** Rebuild a message model from a server record: an outgoing message's stored form or an inbound descriptor. */
  function modelFromRecord(record) {
    if (record.kind === 'inbound') return buildInbound(record.desc, { isNewMsg: false });
    const attrs = { ...record.stored, isNewMsg: false };
    attrs.id = MsgKey.fromString(attrs.id._serialized);
    for (const key of ['from', 'to', 'author']) if (attrs[key]) attrs[key] = wid(attrs[key]);
    if (attrs.messageSecret && typeof attrs.messageSecret === 'object') {
      attrs.messageSecret = new Uint8Array(Object.values(attrs.messageSecret));
    }
    return new MsgModel(attrs);
  }

  /* ------------------------------------------------------------------ connection / auth state */

  const me = { pn: undefined, lid: undefined };
  let readyMode = 'normal';
  let linkUp = false;
  let inboundGateOpen = false;
  const pendingInbound = [];
  const outbox = [];

  class SocketModel extends Model {
    onListenerAdded(name) {
      if (name !== 'change:hasSynced') return;
      // The library registers this last in Client.inject(): the page is fully wired to the client.
      channel.notify('event', { kind: 'injected', listeners: this.listenerCount(name) });
      maybeSync();
    }
    async logout() {
      clearSession();
      if (channel.ready) await channel.request('logout', {});
      return true;
    }
    reconnect() {
      channel.notify('event', { kind: 'reset-state' });
    }
    takeover() {
      channel.request('takeover', {}).catch((e) => reportError('takeover', e));
    }
    poke() {}
  }
  const Socket = new SocketModel({ state: 'OPENING', hasSynced: false, stream: 'DISCONNECTED' });

  class ConnModel extends Model {}
  const Conn = new ConnModel({
    ref: null,
    platform: 'android',
    pushname: undefined,
    wid: undefined,
    battery: undefined,
    plugged: undefined,
    phone: {
      wa_version: '2.25.30.73',
      mcc: '000',
      mnc: '000',
      os_version: '14',
      device_manufacturer: 'Standin',
      device_model: 'Phone',
      os_build_number: 'standin',
    },
  });

  class CmdModel extends Events {
    refreshQR() {
      channel.request('refresh-qr', {}).catch((e) => reportError('refreshQR', e));
    }
  }
  const Cmd = new CmdModel();

  const Stream = new Model({ mode: 'MAIN', info: 'NORMAL', available: false });
  Stream.markAvailable = () => Stream.set('available', true);
  Stream.markUnavailable = () => Stream.set('available', false);

  let offlineProgress = 0;

  function setState(state) {
    Socket.set('state', state);
    Stream.set('stream', state === 'CONNECTED' ? 'CONNECTED' : 'DISCONNECTED');
    channel.notify('state', { state });
  }

  function readToken() {
    try {
      return localStorage.getItem(SESSION_KEY);
    } catch {
      return null;
    }
  }
  function writeToken(token) {
    localStorage.setItem(SESSION_KEY, token);
  }
  function clearSession() {
    try {
      localStorage.removeItem(SESSION_KEY);
    } catch {}
  }

  function applyAccount(account) {
    me.pn = wid(`${account.me}@c.us`);
    me.lid = account.lid ? wid(`${account.lid}@lid`) : undefined;
    if (me.lid) learnLid(me.pn, me.lid);
    Conn.set({ wid: me.pn, pushname: account.pushname, platform: account.platform ?? 'android' });
  }

  function applyReadyMode(mode) {
    readyMode = mode ?? 'normal';
    if (readyMode === 'stall-after-auth' && !Object.getOwnPropertyDescriptor(window, 'WWebJS')) {
      // As when a WhatsApp Web update breaks injection: window.WWebJS cannot be set, so LoadUtils throws
      // after `authenticated` and `ready` never comes.
      Object.defineProperty(window, 'WWebJS', { get: () => undefined, set: () => {}, configurable: false });
    }
  }

  function goOnline(account) {
    applyAccount(account);
    setState('CONNECTED');
    linkUp = true;
    flushOutbox();
    maybeSync();
  }

  let syncScheduled = false;
  function maybeSync() {
    if (syncScheduled || Socket.hasSynced || Socket.state !== 'CONNECTED') return;
    if (readyMode === 'stall-sync') return;
    if (!Socket.listenerCount('change:hasSynced')) return; // the library is not listening yet
    syncScheduled = true;
    setTimeout(() => {
      for (const percent of [50, 100]) {
        offlineProgress = percent;
        Cmd.trigger('offline_progress_update_from_bridge');
      }
      Socket.set('hasSynced', true);
    }, 20);
  }

  /* ------------------------------------------------------------------ inbound traffic */

  Msg.onListenerAdded = (name) => {
    if (name !== 'add' || inboundGateOpen) return;
    inboundGateOpen = true; // the library's listeners are attached: deliver what waited for it
    setTimeout(() => {
      for (const fn of pendingInbound.splice(0)) fn();
    }, 0);
  };

  function whenListening(fn) {
    if (inboundGateOpen) fn();
    else pendingInbound.push(fn);
  }

  function mediaTypeFor(mimetype, requested) {
    if (requested) return requested;
    if (mimetype === 'image/webp') return 'sticker';
    if (mimetype.startsWith('image/')) return 'image';
    if (mimetype.startsWith('video/')) return 'video';
    if (mimetype.startsWith('audio/ogg')) return 'ptt';
    if (mimetype.startsWith('audio/')) return 'audio';
    return 'document';
  }

  /** Build the message model for a driver-described inbound message. */
  function buildInbound(desc, { isNewMsg }) {
    if (desc.phone && desc.from.endsWith('@lid')) learnLid(`${desc.phone}@c.us`, desc.from);
    const from = wid(desc.from);
    const contact = ensureContact(from, desc.pushname);
    if (from.isLid() && !contact.phoneNumber && pnByLid.has(from._serialized)) {
      contact.set('phoneNumber', pnByLid.get(from._serialized));
    }
    const to = from.isLid() && me.lid ? me.lid : me.pn;
    const attrs = {
      id: new MsgKey({ fromMe: false, remote: from, id: desc.id }),
      type: 'chat',
      t: desc.t,
      from,
      to,
      notifyName: desc.pushname ?? '',
      self: 'in',
      ack: 1,
      isNewMsg,
      recvFresh: isNewMsg,
      star: false,
      broadcast: false,
      isForwarded: false,
      forwardingScore: 0,
      mentionedJidList: [],
      groupMentions: [],
      labels: [],
    };
    if (desc.kind === 'text') {
      attrs.body = desc.body;
    } else if (desc.kind === 'media') {
      const m = desc.media;
      const directPath = `/v/t62.7118-24/standin-${desc.id}`;
      mediaStore.set(directPath, m.data);
      Object.assign(attrs, {
        type: mediaTypeFor(m.mimetype, m.type),
        mimetype: m.mimetype,
        filename: m.filename,
        caption: m.caption,
        size: m.size,
        directPath,
        mediaKey: bytesToB64(crypto.getRandomValues(new Uint8Array(32))),
        mediaKeyTimestamp: desc.t,
        filehash: m.sha256,
        encFilehash: m.sha256,
        isGif: false,
        ...(m.type === 'ptt' || m.mimetype.startsWith('audio/ogg') ? { duration: m.duration ?? 1 } : {}),
      });
    } else if (desc.kind === 'location') {
      const l = desc.location;
      Object.assign(attrs, {
        type: 'location',
        lat: l.latitude,
        lng: l.longitude,
        loc: [l.name, l.address].filter(Boolean).join('\n') || undefined,
        clientUrl: l.url,
        isLive: false,
      });
    }
    if (desc.quotedId) {
      const quoted = Msg.get(desc.quotedId);
      if (quoted) Object.assign(attrs, quoted.msgContextInfo());
    }
    return new MsgModel(attrs);
  }

  function deliverInbound(desc) {
    return new Promise((resolve) => {
      whenListening(() => {
        if (Msg.get(`false_${desc.from}_${desc.id}`)) return resolve({ duplicate: true });
        const msg = buildInbound(desc, { isNewMsg: true });
        const chat = getOrCreateChat(msg.from);
        Msg.add(msg);
        chat.msgs.add(msg);
        chat.set({ t: msg.t, lastReceivedKey: msg.id, unreadCount: chat.unreadCount + 1 });
        resolve({ id: msg.id._serialized });
      });
    });
  }

  async function findMsg(id) {
    return Msg.get(id) ?? (await Msg.getMessagesById([id])).messages[0];
  }

  // The tables the library hooks (injectToFunction on bulkUpsert): votes and reactions land here.
  const pollVoteTable = [];
  const pollVoteTableMode = {
    bulkUpsert: async (records) => {
      for (const record of records) {
        const i = pollVoteTable.findIndex(
          (v) =>
            keyOf(v.sender) === keyOf(record.author ?? record.from) &&
            v.parentMsgKey === keyOf(record.pollUpdateParentKey),
        );
        const row = {
          ...record,
          sender: record.author ?? record.from,
          parentMsgKey: keyOf(record.pollUpdateParentKey),
        };
        if (i >= 0) pollVoteTable[i] = row;
        else pollVoteTable.push(row);
      }
      return records.length;
    },
  };
  const reactionTable = [];
  const reactionTableMode = {
    bulkUpsert: async (records) => {
      reactionTable.push(...records);
      return records.length;
    },
  };

  async function deliverVote(desc) {
    const parent = await findMsg(desc.pollId);
    if (!parent) throw new Error(`poll ${desc.pollId} not found`);
    const from = wid(desc.voter);
    const vote = {
      id: new MsgKey({ fromMe: false, remote: parent.id.remote, id: desc.id }),
      pollUpdateParentKey: parent.id,
      t: desc.tMs,
      senderTimestampMs: desc.tMs,
      from,
      author: parent.id.remote.isGroup() ? from : undefined,
      selectedOptionLocalIds: desc.localIds,
      ack: 0,
      read: false,
      stale: false,
    };
    await new Promise((resolve) => whenListening(resolve));
    await pollVoteTableMode.bulkUpsert([vote]);
  }

  async function deliverReaction(desc) {
    const parent = await findMsg(desc.msgId);
    if (!parent) throw new Error(`message ${desc.msgId} not found`);
    const from = wid(desc.from);
    await new Promise((resolve) => whenListening(resolve));
    await reactionTableMode.bulkUpsert([
      {
        id: new MsgKey({ fromMe: false, remote: parent.id.remote, id: desc.id }),
        reactionParentKey: parent.id,
        reactionText: desc.emoji,
        reactionTimestamp: desc.tMs,
        from,
        author: undefined,
        read: false,
        orphan: 0,
        orphanReason: null,
        ack: 1,
      },
    ]);
  }

  async function applyAck(desc) {
    const msg = await findMsg(desc.id);
    if (!msg) throw new Error(`message ${desc.id} not found`);
    msg.set('ack', desc.ack);
  }

  /* ------------------------------------------------------------------ outbound traffic */

  const uploads = new Map(); // directPath -> base64 bytes of what the client uploaded

  function sendToServer(msg) {
    const job = async () => {
      const media = msg.directPath ? uploads.get(msg.directPath) : undefined;
      await channel.request('send', { stored: storedForm(msg), media });
      if (msg.ack < 1) msg.set('ack', 1); // server receipt
      return { messageSendResult: 'OK', t: msg.t };
    };
    return new Promise((resolve, reject) => {
      const run = () => job().then(resolve, reject);
      if (linkUp && Socket.state === 'CONNECTED' && channel.ready) run();
      else outbox.push(run);
    });
  }

  function flushOutbox() {
    if (!linkUp || Socket.state !== 'CONNECTED') return;
    for (const run of outbox.splice(0)) run();
  }

  function addAndSendMsgToChat(chat, data) {
    const msg = Msg.add(new MsgModel({ ...data }));
    chat.msgs.add(msg);
    chat.set('t', msg.t);
    const result = sendToServer(msg);
    result.catch((e) => reportError('send', e));
    return [Promise.resolve(msg), result];
  }

  /* ------------------------------------------------------------------ media (send side) */

  class OpaqueData {
    constructor(blob, type) {
      hide(this, '_blob', blob);
      hide(this, '_type', type || blob.type);
      hide(this, '_url', null);
    }
    static async createFromData(blob, type) {
      return new OpaqueData(blob, type);
    }
    get type() {
      return this._type;
    }
    url() {
      if (!this._url) this._url = URL.createObjectURL(this._blob);
      return this._url;
    }
    formData() {
      return this._blob;
    }
    autorelease() {}
    blob() {
      return this._blob;
    }
  }

  const mediaObjects = new Map();
  class MediaObject extends Model {
    consolidate(data) {
      this.set(data);
    }
  }

  async function sha256B64(blob) {
    const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
    return bytesToB64(new Uint8Array(digest));
  }

  function prepRawMedia(opaqueData, params = {}) {
    return {
      waitForPrep: async () => {
        const blob = opaqueData.blob();
        const mimetype = opaqueData.type;
        let type;
        if (params.asDocument) type = 'document';
        else if (params.asSticker) type = 'sticker';
        else if (mimetype.startsWith('audio/')) type = params.isPtt ? 'ptt' : 'audio';
        else type = mediaTypeFor(mimetype) === 'sticker' ? 'image' : mediaTypeFor(mimetype);
        const filehash = await sha256B64(blob);
        const data = new Model({
          type,
          mimetype,
          filehash,
          size: blob.size,
          filename: blob.name,
          isGif: Boolean(params.asGif && type === 'video'),
          mediaStage: 'RESOLVED',
          ...(type === 'image' || type === 'video'
            ? { preview: undefined, fullWidth: 1, fullHeight: 1 }
            : {}),
        });
        hide(data, 'mediaBlob', opaqueData);
        hide(data, '_blob', blob);
        return data;
      },
    };
  }

  function getOrCreateMediaObject(filehash) {
    if (!mediaObjects.has(filehash)) {
      mediaObjects.set(filehash, new MediaObject({ filehash, type: undefined, contentInfo: {} }));
    }
    return mediaObjects.get(filehash);
  }

  async function uploadMedia({ mimetype, mediaObject, mediaType }) {
    const blob = blobsByHash.get(mediaObject.filehash);
    if (!blob) throw new Error('stand-in upload: media blob not found');
    const directPath = `/v/t62.7118-24/standin-up-${randomHex(16)}`;
    uploads.set(directPath, await blobToB64(blob));
    mediaStore.set(directPath, uploads.get(directPath));
    mediaObject.set({ type: mediaType, mimetype });
    return {
      mediaEntry: {
        mmsUrl: `https://mmg.whatsapp.net${directPath}`,
        deprecatedMms3Url: `https://mmg.whatsapp.net${directPath}`,
        directPath,
        mediaKey: bytesToB64(crypto.getRandomValues(new Uint8Array(32))),
        mediaKeyTimestamp: nowSec(),
        encFilehash: mediaObject.filehash,
        uploadHash: mediaObject.filehash,
        sidecar: undefined,
        firstFrameSidecar: undefined,
        handle: null,
      },
    };
  }
  // mediaObject.consolidate(mediaData.toJSON()) does not carry the blob; remember it by filehash.
  const blobsByHash = new Map();

  /* ------------------------------------------------------------------ modules */

  const registry = new Map();
  function defineModule(id, factory) {
    registry.set(id, { factory, exports: undefined });
  }

  const tracked = new WeakMap();
  function shouldTrackDeep(value) {
    if (value === null || typeof value !== 'object') return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || value instanceof Events;
  }
  function track(path, target, depth) {
    if (tracked.has(target)) return tracked.get(target);
    const proxy = new Proxy(target, {
      get(obj, prop, receiver) {
        if (typeof prop !== 'string') return Reflect.get(obj, prop, receiver);
        if (!(prop in obj)) {
          if (!IGNORED_PROPS.has(prop)) noteCoverage('missing', `${path}.${prop}`);
          return undefined;
        }
        const value = Reflect.get(obj, prop, receiver);
        if (depth >= 1 || !shouldTrackDeep(value)) return value;
        // Proxy invariant: a non-configurable, read-only own property (a class's prototype) must come back as is.
        const own = Object.getOwnPropertyDescriptor(obj, prop);
        if (own && !own.configurable && !own.writable) return value;
        return track(`${path}.${prop}`, value, depth + 1);
      },
    });
    tracked.set(target, proxy);
    return proxy;
  }

  window.require = function require(id) {
    noteCoverage('required', id);
    const entry = registry.get(id);
    if (!entry) {
      noteCoverage('missing', id);
      throw new Error(
        `[whatsapp-standin] Requiring unknown module "${id}" (the stand-in does not implement it)`,
      );
    }
    if (!entry.exports) {
      const raw = entry.factory();
      entry.exports = typeof raw === 'object' || typeof raw === 'function' ? track(id, raw, 0) : raw;
    }
    return entry.exports;
  };

  // --- connection, auth, pairing
  defineModule('WAWebSocketModel', () => ({ Socket }));
  defineModule('WAWebConnModel', () => ({ Conn }));
  defineModule('WAWebCmd', () => ({ Cmd }));
  defineModule('WAWebStreamModel', () => ({ Stream }));
  defineModule('WAWebOfflineHandler', () => ({
    OfflineMessageHandler: { getOfflineDeliveryProgress: () => offlineProgress },
  }));
  defineModule('WABase64', () => ({
    encodeB64: (bytes) => bytesToB64(bytes),
    decodeB64: (s) => b64ToBytes(s),
  }));
  const keys = {
    noise: crypto.getRandomValues(new Uint8Array(32)),
    identity: crypto.getRandomValues(new Uint8Array(32)),
    adv: bytesToB64(crypto.getRandomValues(new Uint8Array(32))),
  };
  defineModule('WAWebCompanionRegClientUtils', () => ({ DEVICE_PLATFORM: 'CHROME' }));
  defineModule('WAWebAdvSignatureApi', () => ({})); // only spread into AuthStore.RegistrationUtils
  defineModule('WAWebUserPrefsInfoStore', () => ({
    waNoiseInfo: { get: async () => ({ staticKeyPair: { pubKey: keys.noise } }) },
  }));
  defineModule('WAWebSignalStoreApi', () => ({
    waSignalStore: { getRegistrationInfo: async () => ({ identityKeyPair: { pubKey: keys.identity } }) },
  }));
  defineModule('WAWebUserPrefsMultiDevice', () => ({ getADVSecretKey: () => keys.adv }));
  defineModule('WAWebUserPrefsMeUser', () => ({
    getMaybeMePnUser: () => me.pn,
    getMaybeMeLidUser: () => me.lid,
    getMeUser: () => me.pn,
  }));
  defineModule('WAWebMiscBrowserUtils', () => ({
    info: () => ({ name: 'Chrome', version: '156.0.0.0', os: 'Linux' }),
  }));
  let pairingType = 'QR';
  defineModule('WAWebAltDeviceLinkingApi', () => ({
    setPairingType: (type) => {
      pairingType = type;
    },
    initializeAltDeviceLinking: async () => {},
    initializeQRLinking: async () => {
      pairingType = 'QR';
    },
    startAltLinkingFlow: async (phoneNumber, showNotification) => {
      const { code } = await channel.request('pairing-code', { phoneNumber, showNotification, pairingType });
      return code;
    },
  }));
  defineModule('WAWebLaunchSocketUtils', () => ({ refreshQR: () => Cmd.refreshQR() }));
  defineModule('WAWebSyncGatingUtils', () => ({ isPlaceholderMessageResendEnabled: () => false }));

  // --- collections and lookups
  defineModule('WAWebCollections', () => ({ Msg, Chat, Contact, Blocklist }));
  const callMap = new Map();
  defineModule('WAWebCallCollection', () => {
    const calls = new Events();
    calls._index = callMap;
    return calls;
  });
  defineModule('WAWebWidFactory', () => ({
    createWid: (value) => wid(value),
    createWidFromWidLike: (value) => wid(value),
    createUserWid: (user, server = 'c.us') => wid(`${user}@${server}`),
    toUserWid: (value) => wid(value),
    asUserWidOrThrow: (value) => {
      const w = wid(value);
      if (!w?.isUser()) throw new Error(`not a user wid: ${keyOf(value)}`);
      return w;
    },
    isWidlike: (value) => typeof keyOf(value) === 'string' && keyOf(value).includes('@'),
  }));
  defineModule('WAWebMsgKey', () => MsgKey);
  defineModule('WAWebFindChatAction', () => ({
    findOrCreateLatestChat: async (id) => {
      const created = !Chat.get(id);
      return { chat: getOrCreateChat(wid(id)), created };
    },
  }));
  defineModule('WAWebChatGetters', () => ({
    getIsNewsletter: (chat) => chat.id.isNewsletter(),
    getIsBroadcast: (chat) => chat.id.isBroadcast(),
    getIsGroup: (chat) => chat.id.isGroup(),
  }));
  defineModule('WAWebContactGetters', () => ({
    getIsMe: (c) => Boolean(me.pn?.equals(c.id) || me.lid?.equals(c.id)),
    getIsUser: (c) => c.id.isUser(),
    getIsGroup: (c) => c.id.isGroup(),
    getIsWAContact: () => true,
    getUserid: (c) => c.id.user,
    getVerifiedName: (c) => c.verifiedName,
    getVerifiedLevel: (c) => c.verifiedLevel,
    getStatusMute: () => false,
    getName: (c) => c.name,
    getShortName: (c) => c.shortName,
    getPushname: (c) => c.pushname,
    getIsEnterprise: (c) => Boolean(c.isEnterprise),
  }));
  defineModule('WAWebFrontendContactGetters', () => ({ getIsMyContact: (c) => Boolean(c.name) }));
  defineModule('WAWebApiContact', () => ({
    getCurrentLid: (value) => lidByPn.get(keyOf(value)),
    getPhoneNumber: (value) => pnByLid.get(keyOf(value)),
    getAlternateUserWid: (value) => lidByPn.get(keyOf(value)) ?? pnByLid.get(keyOf(value)),
  }));
  defineModule('WAWebQueryExistsJob', () => ({
    queryWidExists: async (value) => {
      const w = wid(value);
      const result = await channel.request('query-exists', { id: w._serialized });
      if (!result.exists) return null;
      if (result.lid) learnLid(result.pn, result.lid);
      return { wid: wid(result.pn ?? w), lid: result.lid ? wid(result.lid) : undefined, biz: false };
    },
  }));
  defineModule('WAWebQuotedMsgModelUtils', () => ({
    getQuotedMsgObj: (msg) =>
      msg.quotedMsg ? modelFromRecord({ kind: 'outbound', stored: msg.quotedMsg }) : undefined,
  }));
  defineModule('WAWebChatLoadMessages', () => ({ loadEarlierMsgs: async () => [] }));
  defineModule('WAWebPollsVotesSchema', () => ({
    getTable: () => ({
      equals: async ([field], value) =>
        field === 'parentMsgKey'
          ? pollVoteTable
              .filter((v) => v.parentMsgKey === keyOf(value))
              .map((v) => ({
                ...JSON.parse(JSON.stringify(v)),
                selectedOptionLocalIds: [...v.selectedOptionLocalIds],
              }))
          : [],
    }),
  }));

  // --- hooks the library wraps with injectToFunction
  defineModule('WAWebAddonPollVoteTableMode', () => ({ pollVoteTableMode }));
  defineModule('WAWebAddonReactionTableMode', () => ({ reactionTableMode }));
  defineModule('WAWebBackendJobsCommon', () => ({ mediaTypeFromProtobuf: () => null }));
  defineModule('WAWebE2EProtoUtils', () => ({ typeAttributeFromProtobuf: () => 'text' }));

  // --- sending
  const LINK_RE = /\b((?:https?:\/\/|www\.)[^\s<>"']+)/gi;
  defineModule('WALinkify', () => {
    const findLinks = (text) =>
      typeof text === 'string'
        ? [...text.matchAll(LINK_RE)].map((m) => ({
            url: m[1],
            href: m[1].startsWith('www.') ? `http://${m[1]}` : m[1],
            index: m.index,
            suspiciousCharacters: undefined,
          }))
        : [];
    return { findLinks, findLink: (text) => findLinks(text)[0] };
  });
  defineModule('WAWebLinkPreviewChatAction', () => ({ getLinkPreview: async () => null })); // no preview offline
  defineModule('WAWebGetEphemeralFieldsMsgActionsUtils', () => ({ getEphemeralFields: () => ({}) }));
  defineModule('WAWebMsgReply', () => ({ canReplyMsg: () => true }));
  defineModule('WAWebSendMsgChatAction', () => ({ addAndSendMsgToChat }));
  defineModule('WAWebUpdateUnreadChatAction', () => ({
    sendSeen: async ({ chat }) => {
      chat.set('unreadCount', 0);
      channel.notify('event', { kind: 'seen', chatId: chat.id._serialized });
    },
  }));
  defineModule('WAWebChatStateBridge', () => {
    const chatState = (state) => async (value) => {
      channel.notify('event', { kind: 'chatstate', chatId: keyOf(value), state });
    };
    return {
      sendChatStateComposing: chatState('composing'),
      sendChatStateRecording: chatState('recording'),
      sendChatStatePaused: chatState('paused'),
    };
  });
  defineModule('WAWebPresenceChatAction', () => ({
    sendPresenceAvailable: async () => channel.notify('event', { kind: 'presence', state: 'available' }),
    sendPresenceUnavailable: async () => channel.notify('event', { kind: 'presence', state: 'unavailable' }),
  }));
  defineModule('WAWebSendReactionMsgAction', () => ({
    sendReactionToMsg: async (msg, reaction) => {
      await channel.request('send-reaction', { msgId: msg.id._serialized, reaction });
      return { messageSendResult: 'OK' };
    },
  }));

  // --- media
  defineModule('WAWebMediaOpaqueData', () => OpaqueData);
  defineModule('WAWebPrepRawMedia', () => ({
    prepRawMedia: (opaqueData, params) => {
      const prep = prepRawMedia(opaqueData, params);
      return {
        waitForPrep: async () => {
          const data = await prep.waitForPrep();
          blobsByHash.set(data.filehash, data._blob);
          return data;
        },
      };
    },
  }));
  defineModule('WAWebMediaStorage', () => ({ getOrCreateMediaObject }));
  defineModule('WAWebMmsMediaTypes', () => ({
    msgToMediaType: ({ type, isGif }) => (type === 'video' && isGif ? 'gif' : type),
    castToV4: (type) => type,
  }));
  defineModule('WAWebMediaDataUtils', () => ({ shouldUseMediaCache: () => false }));
  defineModule('WAWebMediaMmsV4Upload', () => ({
    uploadMedia,
    uploadUnencryptedMedia: async () => {
      throw new Error('stand-in: channels (unencrypted media upload) are not supported');
    },
  }));
  defineModule('WAWebDownloadManager', () => ({
    downloadManager: {
      downloadAndMaybeDecrypt: async ({ directPath }) => {
        const data = mediaStore.get(directPath);
        if (data === undefined) {
          const error = new Error('media not found');
          error.status = 404;
          throw error;
        }
        return b64ToBytes(data).buffer;
      },
    },
  }));

  /* ------------------------------------------------------------------ control channel */

  const channel = {
    ready: false,
    transport: null,
    queue: [],
    pending: new Map(),
    seq: 0,
    sendRaw: null,
    bridge: null,

    start() {
      const mode = CONFIG.transport ?? 'auto';
      if (mode === 'bridge') this.openBridge();
      else this.openWebSocket(mode === 'auto');
    },

    openWebSocket(fallBack) {
      let opened = false;
      let ws;
      try {
        ws = new WebSocket(CONFIG.wsUrl);
      } catch (e) {
        if (fallBack) return this.openBridge();
        throw e;
      }
      ws.onopen = () => {
        opened = true;
        this.connected('websocket', (text) => ws.send(text));
      };
      ws.onmessage = (event) => this.receive(event.data);
      ws.onclose = () => {
        if (!opened && fallBack) this.openBridge();
        else this.lost(() => this.openWebSocket(false));
      };
    },

    openBridge() {
      if (!this.bridgeListener) {
        this.bridgeListener = (event) => {
          if (event.origin !== CONFIG.bridgeOrigin || !event.data || typeof event.data !== 'object') return;
          const data = event.data;
          if (data.nonce !== this.bridgeNonce) return; // a previous bridge document
          if (data.standin === 'open') {
            this.connected('bridge', (text) =>
              this.bridge.postMessage({ standin: 'send', text }, CONFIG.bridgeOrigin),
            );
          } else if (data.standin === 'message') this.receive(data.text);
          else if (data.standin === 'closed') this.lost(() => this.openBridge());
        };
        window.addEventListener('message', this.bridgeListener);
      }
      // A named window: a reload of this page reuses (and reloads) the same bridge.
      this.bridgeNonce = randomHex(16);
      this.bridge = window.open(`${CONFIG.bridgeUrl}?nonce=${this.bridgeNonce}`, 'wa-standin-bridge');
      if (!this.bridge) reportError('bridge', new Error('popup blocked: cannot open the stand-in bridge'));
    },

    connected(transport, sendRaw) {
      this.transport = transport;
      this.sendRaw = sendRaw;
      this.ready = true;
      this.sendRaw(
        JSON.stringify({
          t: 'hello',
          version: CONFIG.version,
          session: readToken(),
          transport,
          state: Socket.state,
          userAgent: navigator.userAgent,
        }),
      );
      for (const text of this.queue.splice(0)) this.sendRaw(text);
      coverage.dirty = true;
      flushCoverage();
    },

    lost(retry) {
      if (!this.ready && this.retrying) return;
      this.ready = false;
      this.sendRaw = null;
      this.retrying = true;
      setTimeout(() => {
        this.retrying = false;
        retry();
      }, 500);
    },

    post(obj) {
      const text = JSON.stringify(obj);
      if (this.ready) this.sendRaw(text);
      else this.queue.push(text);
    },

    notify(note, payload) {
      this.post({ t: 'note', note, ...payload });
    },

    request(req, payload, timeoutMs = 15000) {
      const rid = `p${++this.seq}`;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(rid);
          reject(new Error(`stand-in server did not answer ${req}`));
        }, timeoutMs);
        this.pending.set(rid, { resolve, reject, timer });
        this.post({ t: 'req', rid, req, ...payload });
      });
    },

    receive(text) {
      let message;
      try {
        message = JSON.parse(text);
      } catch {
        return;
      }
      if (message.t === 'res') {
        const waiting = this.pending.get(message.rid);
        if (!waiting) return;
        this.pending.delete(message.rid);
        clearTimeout(waiting.timer);
        if (message.error) waiting.reject(new Error(message.error));
        else waiting.resolve(message.result ?? {});
        return;
      }
      if (message.t === 'cmd') {
        Promise.resolve()
          .then(() => handleCommand(message))
          .then(
            (result) => this.post({ t: 'res', rid: message.rid, result: result ?? {} }),
            (error) => this.post({ t: 'res', rid: message.rid, error: String(error?.message ?? error) }),
          );
      }
    },
  };

  function reportError(where, error) {
    console.error(`[whatsapp-standin] ${where}:`, error);
    channel.notify('error', { where, message: String(error?.message ?? error), stack: error?.stack });
  }

  /** Commands from the driver (the fake server and phone). */
  async function handleCommand(message) {
    switch (message.cmd) {
      case 'welcome': {
        applyReadyMode(message.readyMode);
        if (message.session === 'valid') {
          goOnline(message.account);
          if (!message.link) {
            linkUp = false;
            setState(message.linkState ?? 'TIMEOUT');
          }
        } else {
          clearSession();
          Conn.set('ref', message.qrRef);
          setState('UNPAIRED');
        }
        return {};
      }
      case 'qr-ref':
        Conn.set('ref', message.ref);
        return {};
      case 'paired': {
        if (Socket.state !== 'UNPAIRED' && Socket.state !== 'UNPAIRED_IDLE') {
          throw new Error(`cannot pair in state ${Socket.state}`);
        }
        writeToken(message.token);
        applyReadyMode(message.readyMode);
        setState('PAIRING');
        await sleep(10);
        goOnline(message.account);
        return {};
      }
      case 'link': {
        if (message.up) {
          linkUp = true;
          if (Socket.state !== 'CONNECTED') {
            setState('OPENING');
            await sleep(10);
            setState('CONNECTED');
          }
          flushOutbox();
          maybeSync();
        } else {
          linkUp = false;
          setState(message.state ?? 'TIMEOUT');
        }
        return {};
      }
      case 'logout': {
        // Logged out from the phone: WhatsApp Web forgets the session, announces the logout and reloads.
        clearSession();
        Cmd.trigger('logout');
        setTimeout(() => window.location.reload(), message.reloadDelayMs ?? 500);
        return {};
      }
      case 'inbound':
        return deliverInbound(message.desc);
      case 'vote':
        await deliverVote(message.desc);
        return {};
      case 'reaction':
        await deliverReaction(message.desc);
        return {};
      case 'ack':
        await applyAck(message.desc);
        return {};
      case 'call': {
        const call = {
          id: message.desc.id,
          peerJid: wid(message.desc.from),
          isVideo: Boolean(message.desc.isVideo),
          isGroup: false,
          canHandleLocally: false,
          outgoing: false,
          webClientShouldHandle: false,
          participants: [],
        };
        await new Promise((resolve) => whenListening(resolve));
        callMap.set(call.id, call);
        return {};
      }
      case 'battery':
        Conn.set({ battery: message.battery, plugged: message.plugged });
        return {};
      case 'snapshot':
        return {
          state: Socket.state,
          hasSynced: Socket.hasSynced,
          msgs: Msg.length,
          chats: Chat.length,
          required: [...coverage.required],
          missing: [...coverage.missing],
        };
      default:
        throw new Error(`unknown command ${message.cmd}`);
    }
  }

  window.addEventListener('error', (event) => reportError('window', event.error ?? event.message));
  // Rejections in the page are mostly the library's own (an exposed Node function that threw); keep them visible.
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    channel.notify('event', { kind: 'page-rejection', message: String(reason?.message ?? reason) });
  });

  /* ------------------------------------------------------------------ boot */

  channel.start();
  // Last: the library polls for this before it touches anything else.
  window.Debug = { VERSION: CONFIG.version };
})();
