/** The PARLEY_INTERNAL_TOKEN of the runtimes tests start: their simulator endpoints need it. */
export const INTERNAL_TOKEN = 'test-internal-token-0123456789abcdef';

/** Headers carrying the internal token, for a test's calls to a runtime's endpoints. */
export const internalAuth = { authorization: `Bearer ${INTERNAL_TOKEN}` } as const;
