import { createHash, randomUUID } from 'node:crypto';

/** What a stored media answer's `url` starts with: `parley-media://<key>`. */
export const MEDIA_URL_PREFIX = 'parley-media://';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** `<workspaceId>/<contact hash>/<uuid>-<safe name>`: nothing else is a key (no `..`, no absolute path). */
const KEY = new RegExp(`^(${UUID})/([0-9a-f]{32})/(${UUID}-[A-Za-z0-9._-]{1,120})$`);

/** The key's folder for one contact of a workspace (the phone is hashed: keys show up in links). */
export function contactMediaPrefix(workspaceId: string, contact: string): string {
  const hash = createHash('sha256').update(contact).digest('hex').slice(0, 32);
  return `${workspaceId}/${hash}/`;
}

/** Keeps letters, digits, dots, dashes and underscores of a file name (at most 80 characters). */
export function safeFileName(name: string | undefined): string {
  const safe = (name ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(-80);
  return safe === '' ? 'file' : safe;
}

/** A new key for a file a contact sent. */
export function mediaKey(workspaceId: string, contact: string, fileName?: string): string {
  return `${contactMediaPrefix(workspaceId, contact)}${randomUUID()}-${safeFileName(fileName)}`;
}

export interface MediaKeyParts {
  workspaceId: string;
  contactHash: string;
  file: string;
}

/** The parts of a valid key, or null. */
export function parseMediaKey(key: string): MediaKeyParts | null {
  const match = KEY.exec(key);
  if (match === null) return null;
  return { workspaceId: match[1] as string, contactHash: match[2] as string, file: match[3] as string };
}

/** The key behind a `parley-media://` answer url; null for anything else (old `file://` urls too). */
export function mediaKeyOfUrl(url: unknown): string | null {
  if (typeof url !== 'string' || !url.startsWith(MEDIA_URL_PREFIX)) return null;
  const key = url.slice(MEDIA_URL_PREFIX.length);
  return parseMediaKey(key) === null ? null : key;
}

/** The name a downloaded file gets: the stored name without its uuid. */
export function downloadName(key: string): string {
  const file = parseMediaKey(key)?.file ?? 'file';
  return file.slice(37);
}
