import { readFile } from 'node:fs/promises';
import { CliError } from './cli-error.js';

const MAX_BYTES = 20 * 1024 * 1024;

/** Reads and parses a JSON file, turning every failure into a one-line CliError. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const buffer = await readFile(path);
    if (buffer.length > MAX_BYTES) throw new CliError(`${path}: file is larger than 20 MiB`);
    text = buffer.toString('utf8');
  } catch (cause) {
    if (cause instanceof CliError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String((cause as Error).message);
    throw new CliError(`${path}: cannot read the file (${reason})`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (cause) {
    throw new CliError(`${path}: not valid JSON (${(cause as Error).message})`);
  }
}
