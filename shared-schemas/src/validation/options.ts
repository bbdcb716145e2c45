/** What the deployment allows, where that changes what is worth a warning. */
export interface ValidationOptions {
  /** Private network addresses are allowed (PARLEY_ALLOW_PRIVATE_HTTP=1): no warning for calling one. */
  allowPrivateHttp?: boolean;
}
