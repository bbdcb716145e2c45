import type { Readable } from 'node:stream';

/** Reads at most maxBytes; returns undefined as soon as the stream goes past that. */
export async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    // Leaving the loop early destroys the stream, which closes the connection mid-transfer.
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

function isJsonMediaType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** JSON responses become values; anything else, or JSON that fails to parse, stays text. */
export function decodeBody(bytes: Buffer, contentType: string): unknown {
  const text = bytes.toString('utf8');
  if (!isJsonMediaType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
