import type { Readable } from 'node:stream';
import { storableJson, storableText } from '@parley/schemas';

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

/**
 * JSON responses become values; anything else, or JSON that fails to parse, stays text. Either
 * way NUL and lone surrogates become U+FFFD: the result is stored in the conversation.
 */
export function decodeBody(bytes: Buffer, contentType: string): unknown {
  const text = storableText(bytes.toString('utf8'));
  if (!isJsonMediaType(contentType)) return text;
  try {
    // Escapes such as \u0000 only appear once parsed.
    return storableJson(JSON.parse(text));
  } catch {
    // Not JSON after all: the text is the body.
    return text;
  }
}
