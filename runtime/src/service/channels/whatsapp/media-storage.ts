import {
  type Db,
  downloadName,
  MEDIA_URL_PREFIX,
  type MediaStore,
  mediaKey,
  mediaKeyOfUrl,
  parseMediaKey,
} from '@parley/db';
import { request } from 'undici';
import { dispatcherFor } from '../../../http/dispatchers.js';
import { readCapped } from '../../../http/response-body.js';
import type { FlowRepository } from '../../repositories/flow-repository.js';
import { ChannelSendError } from '../channel.js';
import type { WaMedia } from './wa-client.js';

/** Where inbound media files go; the URL it returns is what the flow stores as the answer. */
export interface MediaStorage {
  put(numberId: string, contact: string, fileName: string, data: Buffer, mimeType: string): Promise<string>;
}

/**
 * Inbound files in the shared media store (a folder or S3), keyed by the number's workspace and the
 * contact, so the API can serve them and erasure can delete them; answers keep `parley-media://<key>`.
 */
export class StoreMediaStorage implements MediaStorage {
  private readonly workspaces = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly store: MediaStore,
    private readonly numbers: FlowRepository,
  ) {}

  async put(
    numberId: string,
    contact: string,
    fileName: string,
    data: Buffer,
    mimeType: string,
  ): Promise<string> {
    const key = mediaKey(await this.workspaceOf(numberId), contact, fileName);
    await this.store.put(key, data, mimeType);
    return `${MEDIA_URL_PREFIX}${key}`;
  }

  /**
   * A stored file to send from the number (a person's attachment in the inbox). Only files of the
   * number's own workspace: a `parley-media://` link never reaches another workspace's files.
   */
  async read(numberId: string, url: string): Promise<WaMedia> {
    const key = mediaKeyOfUrl(url);
    if (key === null || parseMediaKey(key)?.workspaceId !== (await this.workspaceOf(numberId)))
      throw new ChannelSendError(
        'The attachment is not a file of this workspace, so it was not sent.',
        false,
      );
    const file = await this.store.get(key);
    if (file === null)
      throw new ChannelSendError(
        'The attachment is no longer stored (it was deleted), so it was not sent. Attach it again.',
        false,
      );
    const chunks: Buffer[] = [];
    for await (const chunk of file.body) chunks.push(Buffer.from(chunk as Uint8Array));
    return { mimeType: file.mimeType, data: Buffer.concat(chunks), fileName: downloadName(key) };
  }

  /** A number never moves to another workspace, so its workspace is looked up once. */
  private async workspaceOf(numberId: string): Promise<string> {
    const known = this.workspaces.get(numberId);
    if (known !== undefined) return known;
    const workspaceId = (await this.numbers.numberInfo(this.db, numberId))?.workspaceId;
    if (workspaceId === undefined) throw new Error(`Number ${numberId} no longer exists`);
    this.workspaces.set(numberId, workspaceId);
    return workspaceId;
  }
}

function fileNameOf(url: URL): string | undefined {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '');
  return last === '' ? undefined : last.slice(0, 200);
}

/**
 * Downloads a flow's outbound media (http/https), at most `maxBytes`, refusing private addresses
 * unless allowed (the same guard as http_request nodes). Failures are ChannelSendErrors: a 4xx or
 * an oversized file will not get better, a network error may.
 */
export async function fetchMedia(
  url: string,
  options: { maxBytes: number; allowPrivate: boolean; timeoutMs?: number },
): Promise<WaMedia> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ChannelSendError(`The media URL is not valid: ${url}`, false);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ChannelSendError(`Media must come from an http(s) URL, not ${parsed.protocol}`, false);
  let response: Awaited<ReturnType<typeof request>>;
  for (let redirects = 0; ; redirects++) {
    try {
      response = await request(parsed, {
        dispatcher: dispatcherFor(options.allowPrivate),
        headersTimeout: options.timeoutMs ?? 30_000,
        bodyTimeout: options.timeoutMs ?? 30_000,
      });
    } catch (error) {
      throw new ChannelSendError(`Could not download the media: ${(error as Error).message}`, true);
    }
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') break;
    await response.body.dump().catch(() => undefined);
    if (redirects === 3) throw new ChannelSendError('Downloading the media: too many redirects', false);
    parsed = new URL(location, parsed);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new ChannelSendError('Downloading the media: redirected away from http(s)', false);
  }
  if (response.statusCode >= 300) {
    await response.body.dump().catch(() => undefined);
    throw new ChannelSendError(
      `Downloading the media failed with HTTP ${response.statusCode}`,
      response.statusCode >= 500,
    );
  }
  const data = await readCapped(response.body, options.maxBytes);
  if (data === undefined)
    throw new ChannelSendError(
      `The media is larger than ${Math.round(options.maxBytes / 1048576)} MB`,
      false,
    );
  const type = String(response.headers['content-type'] ?? 'application/octet-stream')
    .split(';')[0]
    ?.trim();
  const fileName = fileNameOf(parsed);
  return {
    mimeType: type || 'application/octet-stream',
    data,
    ...(fileName === undefined ? {} : { fileName }),
  };
}
