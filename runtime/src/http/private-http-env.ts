/** Private-network targets are opt-in: only the exact value '1' enables them. */
export function allowPrivateHttpFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PARLEY_ALLOW_PRIVATE_HTTP === '1';
}
