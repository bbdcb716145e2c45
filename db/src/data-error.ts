/**
 * Whether Postgres refused a statement because of the data in it (SQLSTATE class 22, data
 * exception: e.g. a NUL in text, a bad escape in jsonb; class 23, a broken constraint), as
 * opposed to being unreachable or busy. Retrying such a statement unchanged cannot succeed.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
