export { SIGNATURE_VERSION, type SignedRequest, signRequest } from '@parley/db';
export { isPublicAddress } from '@parley/schemas';
export {
  type HttpOptions,
  type HttpRequestSpec,
  type HttpResult,
  performHttpRequest,
} from './perform-request.js';
export { allowPrivateHttpFromEnv } from './private-http-env.js';
