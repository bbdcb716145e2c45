import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (memory-hard; tuned for interactive logins). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    // A stored value that is not an argon2 hash matches no password.
    return false;
  }
}
