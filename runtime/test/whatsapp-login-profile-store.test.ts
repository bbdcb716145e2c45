import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cipherPurposes, type Db, deriveSecretKey, SecretCipher } from '@parley/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LoginProfileRepository } from '../src/service/channels/whatsapp/login-profile-repository.js';
import {
  LoginProfileStore,
  LoginProfileUnreadableError,
} from '../src/service/channels/whatsapp/login-profile-store.js';
import { createLogger } from '../src/service/ops/logger.js';
import { seedPublishedFlow } from './support/seed.js';
import { createTestDatabase } from './support/test-env.js';

// Session storage on the real Postgres: encrypted rows, restore on another "host", crash safety.

const OLD_KEY = 'the-old-secret-key-0123456789';
const NEW_KEY = 'the-new-secret-key-9876543210';
const IDB = join('Default', 'IndexedDB', 'https_web.whatsapp.com_0.indexeddb.leveldb');

let db: Db;
let drop: () => Promise<void>;
let dir: string;
let numberId: string;
const repository = new LoginProfileRepository();
const logger = createLogger('test', 'silent');

beforeAll(async () => {
  ({ db, drop } = await createTestDatabase());
});
afterAll(async () => {
  await drop();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-store-'));
  numberId = (await seedPublishedFlow(db, { schemaVersion: 1 }, 'whatsapp')).numberId;
  return () => rm(dir, { recursive: true, force: true });
});

function store(secret = NEW_KEY, previous?: string): LoginProfileStore {
  const cipher = SecretCipher.fromSecrets(cipherPurposes.whatsappSession, secret, previous);
  return new LoginProfileStore({ db, repository, cipher: async () => cipher, owner: 'test', logger });
}

async function writeProfile(profileDir: string, content: string): Promise<void> {
  await mkdir(join(profileDir, IDB), { recursive: true });
  await writeFile(join(profileDir, IDB, '000003.log'), content);
  await mkdir(join(profileDir, 'Default', 'Local Storage', 'leveldb'), { recursive: true });
  await writeFile(join(profileDir, 'Default', 'Local Storage', 'leveldb', 'CURRENT'), 'MANIFEST-1');
}

const readLog = (profileDir: string) => readFile(join(profileDir, IDB, '000003.log'), 'utf8');

describe('LoginProfileStore on Postgres', () => {
  it('restores a saved session on another host, encrypted at rest', async () => {
    const hostA = join(dir, 'a', 'session-n');
    await writeProfile(hostA, 'keys of the linked device');
    expect(await store().save(numberId, hostA, null)).toBe('saved');
    const row = await repository.load(db, numberId);
    expect(row?.version).toBe(1);
    expect(row?.keyId).toBe(deriveSecretKey(NEW_KEY, cipherPurposes.whatsappSession).id);
    expect(row?.data.includes(Buffer.from('keys of the linked device'))).toBe(false);
    const hostB = join(dir, 'b', 'session-n');
    expect(await store().prepare(numberId, hostB)).toBe('restored');
    expect(await readLog(hostB)).toBe('keys of the linked device');
    // The same host again: its working copy derives from the latest row, so it is kept.
    expect(await store().prepare(numberId, hostB)).toBe('local');
  });

  it('never leaves an empty or torn session when a save is cut off', async () => {
    const profile = join(dir, 'session-n');
    await writeProfile(profile, 'first');
    await store().save(numberId, profile, null);
    await writeProfile(profile, 'second');
    const cipher = SecretCipher.fromSecrets(cipherPurposes.whatsappSession, NEW_KEY);
    const crash = repository.save(
      db,
      numberId,
      { keyId: cipher.current.id, data: cipher.encrypt(Buffer.from('x'), numberId), plainBytes: 1 },
      null,
      'test',
      {
        beforeCommit: async () => {
          throw new Error('simulated crash mid-save');
        },
      },
    );
    await expect(crash).rejects.toThrow('simulated crash');
    const restored = join(dir, 'elsewhere');
    expect(await store().prepare(numberId, restored)).toBe('restored');
    expect(await readLog(restored)).toBe('first');
  });

  it('restores the row when a crash came between saving it and marking the working copy', async () => {
    const profile = join(dir, 'session-n');
    await writeProfile(profile, 'v1');
    await store().save(numberId, profile, null);
    await writeProfile(profile, 'v2');
    await store().save(numberId, profile, null);
    await writeFile(join(profile, '.parley-session.json'), JSON.stringify({ version: 1 }));
    expect(await store().prepare(numberId, profile)).toBe('restored');
    expect(await readLog(profile)).toBe('v2');
  });

  it('refuses saves from an owner that was fenced out', async () => {
    const profile = join(dir, 'session-n');
    await writeProfile(profile, 'mine');
    const fence = await repository.bumpFence(db, numberId, 'a');
    expect(await store().save(numberId, profile, fence)).toBe('saved');
    await repository.bumpFence(db, numberId, 'b');
    await writeProfile(profile, 'stale');
    expect(await store().save(numberId, profile, fence)).toBe('fenced');
    expect((await repository.load(db, numberId))?.version).toBe(1);
  });

  it('rotates keys: a session under the previous key is restored and re-encrypted at once', async () => {
    const profile = join(dir, 'session-n');
    await writeProfile(profile, 'rotate me');
    await store(OLD_KEY).save(numberId, profile, null);
    await expect(store(NEW_KEY).prepare(numberId, join(dir, 'x'))).rejects.toBeInstanceOf(
      LoginProfileUnreadableError,
    );
    expect(await store(NEW_KEY, OLD_KEY).prepare(numberId, join(dir, 'y'))).toBe('restored');
    expect(await readLog(join(dir, 'y'))).toBe('rotate me');
    expect((await repository.load(db, numberId))?.keyId).toBe(
      deriveSecretKey(NEW_KEY, cipherPurposes.whatsappSession).id,
    );
    // The previous key is no longer needed.
    expect(await store(NEW_KEY).prepare(numberId, join(dir, 'z'))).toBe('restored');
  });

  it('refuses a tampered row instead of starting over', async () => {
    const profile = join(dir, 'session-n');
    await writeProfile(profile, 'x');
    await store().save(numberId, profile, null);
    await db.query(
      `update whatsapp_sessions set data = overlay(data placing '\\xff'::bytea from 40 for 1) where number_id = $1`,
      [numberId],
    );
    await expect(store().prepare(numberId, join(dir, 'fresh'))).rejects.toBeInstanceOf(
      LoginProfileUnreadableError,
    );
  });

  it('stores nothing for a profile without a session, and forgets a removed one', async () => {
    const profile = join(dir, 'session-n');
    await mkdir(profile, { recursive: true });
    expect(await store().save(numberId, profile, null)).toBe('empty');
    expect(await repository.load(db, numberId)).toBeNull();
    expect(await store().prepare(numberId, profile)).toBe('none');
    // Files never saved (linked just before a crash, or never linked) are kept for WhatsApp Web to judge.
    await writeProfile(profile, 'just linked');
    expect(await store().prepare(numberId, profile)).toBe('unsaved');
    expect(await readLog(profile)).toBe('just linked');
    await store().save(numberId, profile, null);
    await store().remove(numberId, profile);
    expect(await repository.load(db, numberId)).toBeNull();
    // A working copy whose row was deleted (logged out elsewhere) is not revived.
    await writeProfile(profile, 'x');
    await writeFile(join(profile, '.parley-session.json'), JSON.stringify({ version: 1 }));
    expect(await store().prepare(numberId, profile)).toBe('none');
    expect(await readdir(dir)).toEqual([]);
  });
});
