/** The GET /policy response: what this deployment allows, which the editor's checks follow. */
import { type Static, Type } from '@sinclair/typebox';

export const DeploymentPolicy = Type.Object({
  privateHttpAllowed: Type.Boolean({
    description:
      'HTTP request blocks may call private and local network addresses (PARLEY_ALLOW_PRIVATE_HTTP=1); when false, such calls are refused and take Failure',
  }),
  emailEnabled: Type.Optional(
    Type.Boolean({
      description: 'This server sends mail (PARLEY_SMTP_URL is set): reset links can be emailed',
    }),
  ),
});

export type DeploymentPolicy = Static<typeof DeploymentPolicy>;
