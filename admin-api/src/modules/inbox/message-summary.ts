/** A stored message in one line, as an inbox list shows the last one: its text, or what it is. */
export function messageSummary(type: string, body: Record<string, unknown>): string {
  const text = typeof body.text === 'string' ? body.text.trim() : '';
  const media = body.media as { mimeType?: unknown; name?: unknown } | undefined;
  if (media !== undefined && media !== null && typeof media === 'object') {
    const mimeType = typeof media.mimeType === 'string' ? media.mimeType : '';
    const kind = mimeType.startsWith('image/')
      ? 'Picture'
      : mimeType.startsWith('video/')
        ? 'Video'
        : mimeType.startsWith('audio/')
          ? 'Voice message'
          : typeof media.name === 'string' && media.name !== ''
            ? `Document (${media.name})`
            : 'Document';
    return text === '' ? kind : `${kind}: ${text}`;
  }
  if (text !== '') return text;
  if (type === 'location' || body.location !== undefined) return 'Location';
  return 'Message';
}
