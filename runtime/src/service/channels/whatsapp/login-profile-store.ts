import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db, SecretCipher } from '@parley/db';
import type { Logger } from '../../ops/logger.js';
import { removeLeftovers, replaceDirAtomic, writeFileAtomic } from './atomic-file.js';
import type { LoginProfileRepository } from './login-profile-repository.js';
import { hasSessionFiles, packProfile, unpackProfile } from './profile-pack.js';

/** Which stored version a profile folder derives from (written atomically inside the folder). */
const MARKER = '.parley-session.json';

/**
 * `local`: the working copy derives from the latest saved session; `restored`: rebuilt from the
 * saved row; `unsaved`: files of a profile never saved (linked moments before a crash, or never
 * linked; WhatsApp Web tells which); `none`: nothing.
 */
export type PreparedFrom = 'local' | 'restored' | 'unsaved' | 'none';

/** Whether a launch on this profile is expected to need no login (a QR request then means logged out). */
export function hasSavedSession(from: PreparedFrom): boolean {
  return from === 'local' || from === 'restored';
}

export class LoginProfileUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginProfileUnreadableError';
  }
}

export interface LoginProfileStoreDeps {
  db: Db;
  repository: LoginProfileRepository;
  /** Resolved on first use (embedded mode creates its key file only when a session is saved). */
  cipher: () => Promise<SecretCipher>;
  /** Who saves (recorded with each save). */
  owner: string;
  logger: Logger;
}

async function readMarker(profileDir: string): Promise<number | null> {
  try {
    const parsed = JSON.parse(await readFile(join(profileDir, MARKER), 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'number' ? parsed.version : null;
  } catch {
    return null;
  }
}

const writeMarker = (profileDir: string, version: number) =>
  writeFileAtomic(join(profileDir, MARKER), JSON.stringify({ version }));

/**
 * The browser login profile of each number (the WhatsApp Web login). The source of truth is one encrypted row per number in Postgres
 * (`whatsapp_sessions`): the profile's IndexedDB and Local Storage, packed, gzipped, AES-256-GCM.
 * Chromium runs on a plaintext working copy (whatsapp-web.js LocalAuth) that exists only while the
 * number runs here: it is restored from the row before launch, saved back after `ready`, every
 * `backupInterval` and once the browser has closed, then removed. After a crash the working copy
 * is kept when it derives from the latest row (it is newer), so a restart needs no QR either way.
 */
export class LoginProfileStore {
  constructor(private readonly deps: LoginProfileStoreDeps) {}

  /**
   * Makes `profileDir` hold the number's latest session before a launch. Returns where it came
   * from; throws LoginProfileUnreadableError when the stored session cannot be decrypted (never
   * silently replaced by a new login: the key may just be misconfigured).
   */
  async prepare(numberId: string, profileDir: string): Promise<PreparedFrom> {
    const { db, repository, logger } = this.deps;
    await removeLeftovers(profileDir);
    const stored = await repository.load(db, numberId);
    const marker = await readMarker(profileDir);
    const local = await hasSessionFiles(profileDir);
    if (stored === null) {
      // A marker without a row: the session was deleted (logged out) since; do not revive it.
      if (marker !== null) {
        await rm(profileDir, { recursive: true, force: true });
        return 'none';
      }
      // Maybe linked but never saved (a crash right after the scan): keep it, WhatsApp Web will tell.
      return local ? 'unsaved' : 'none';
    }
    if (local && marker === stored.version) return 'local';
    const cipher = await this.deps.cipher();
    let plain: Buffer;
    let current: boolean;
    try {
      ({ plain, current } = cipher.decrypt(stored.data, numberId));
    } catch (error) {
      throw new LoginProfileUnreadableError((error as Error).message);
    }
    await replaceDirAtomic(profileDir, async (fresh) => {
      await unpackProfile(plain, fresh);
      await writeMarker(fresh, stored.version);
    });
    if (!current) {
      // Key rotation: re-encrypt with the current key now rather than at the next save.
      const rekeyed = await repository.rekey(db, numberId, stored.version, {
        keyId: cipher.current.id,
        data: cipher.encrypt(plain, numberId),
        plainBytes: plain.length,
      });
      if (rekeyed) logger.info({ numberId }, 'session re-encrypted with the current key');
    }
    return 'restored';
  }

  /**
   * Saves the profile's session while `fence` is still current. 'empty' when the profile holds no
   * session (nothing is written: an empty save would cost the next start a QR scan).
   */
  async save(
    numberId: string,
    profileDir: string,
    fence: number | null,
  ): Promise<'saved' | 'empty' | 'fenced'> {
    const { db, repository, owner } = this.deps;
    const packed = await packProfile(profileDir);
    if (packed === null) return 'empty';
    const cipher = await this.deps.cipher();
    const version = await repository.save(
      db,
      numberId,
      { keyId: cipher.current.id, data: cipher.encrypt(packed, numberId), plainBytes: packed.length },
      fence,
      owner,
    );
    if (version === null) return 'fenced';
    await writeMarker(profileDir, version);
    return 'saved';
  }

  /** Removes the plaintext working copy (after a final save). */
  async discardLocal(profileDir: string): Promise<void> {
    await rm(profileDir, { recursive: true, force: true });
  }

  /** Forgets the session everywhere (logged out). */
  async remove(numberId: string, profileDir: string): Promise<void> {
    await this.deps.repository.delete(this.deps.db, numberId);
    await rm(profileDir, { recursive: true, force: true });
  }
}
