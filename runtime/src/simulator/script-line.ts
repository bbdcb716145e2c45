import type { InboundLocation, InboundMedia } from '@parley/engine';

/** One line of a simulator script: a text message, a media or location message, or a clock jump. */
export type ScriptLine =
  | { kind: 'text'; text: string }
  | { kind: 'wait'; minutes: number }
  | { kind: 'media'; media: InboundMedia }
  | { kind: 'location'; location: InboundLocation };

const WAIT = /^#wait\s+(\d+(?:\.\d+)?)\s*$/i;
const MEDIA = /^#media\s+(\S+)(?:\s+(.+?))?\s*$/i;
const LOCATION = /^#location\s+(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)(?:\s+(.+?))?\s*$/i;

/** Reads a script line; anything that is not a well-formed `#` directive is a text message. */
export function parseScriptLine(line: string): ScriptLine {
  const wait = WAIT.exec(line);
  if (wait) return { kind: 'wait', minutes: Number(wait[1]) };
  const media = MEDIA.exec(line);
  if (media) {
    const mimeType = media[1] as string;
    const name = media[2] ?? `file.${mimeType.split('/')[1] ?? 'bin'}`;
    return {
      kind: 'media',
      media: { url: `simulator://media/${encodeURIComponent(name)}`, mimeType, name, size: 1024 },
    };
  }
  const location = LOCATION.exec(line);
  if (location) {
    const name = location[3];
    return {
      kind: 'location',
      location: {
        lat: Number(location[1]),
        lng: Number(location[2]),
        ...(name === undefined ? {} : { name }),
      },
    };
  }
  return { kind: 'text', text: line };
}
