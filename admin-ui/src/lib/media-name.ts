/** A stored file's own name, with `{uuid}-` before it (the media store's key), as a person reads it. */
const STORED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/;

/** The name of a message's file: its `name`, else the last part of its `parley-media://` url. */
export function mediaFileName(media: { url?: unknown; name?: unknown }): string {
  if (typeof media.name === 'string' && media.name !== '') return media.name;
  const file = typeof media.url === 'string' ? (media.url.split('/').at(-1) ?? '') : '';
  const name = file.replace(STORED, '');
  return name === '' ? 'file' : name;
}
