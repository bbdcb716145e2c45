/** Request schemas of the /media download routes. */
import { Type } from '@sinclair/typebox';

/** A stored file's key, `<workspace>/<folder>/<file>`, as path parameters. */
export const MediaKeyParams = Type.Object({
  workspaceId: Type.String({ format: 'uuid' }),
  folder: Type.String({ pattern: '^[0-9a-f]{32}$' }),
  file: Type.String({ minLength: 38, maxLength: 160, pattern: '^[A-Za-z0-9._-]+$' }),
});
export const SignedMediaQuery = Type.Object({
  expires: Type.Integer({ minimum: 0 }),
  signature: Type.String({ minLength: 1, maxLength: 100 }),
});
