/** What the deployment allows, where that changes what is worth a warning. */
export interface ValidationOptions {
  /** Private network addresses are allowed (PARLEY_ALLOW_PRIVATE_HTTP=1): no warning for calling one. */
  allowPrivateHttp?: boolean;
  /** The workspace's AI provider ids; absent: not known here, so AI blocks' providers go unchecked. */
  aiCredentialIds?: ReadonlySet<string>;
}
