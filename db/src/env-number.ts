/**
 * A numeric setting from the environment: `fallback` when unset or empty, an error naming the
 * variable when it is not a number (or below `min`), so a typo stops the start instead of
 * becoming NaN somewhere later.
 */
export function envNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min?: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || (min !== undefined && value < min)) {
    throw new Error(`${name} must be a number${min === undefined ? '' : ` ≥ ${min}`}, got “${raw}”`);
  }
  return value;
}
