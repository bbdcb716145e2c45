/** Request and response schemas of retention and contact erasure. */
import { Type } from '@sinclair/typebox';

export const RetentionCounts = Type.Object({
  conversations: Type.Integer(),
  messages: Type.Integer(),
  responses: Type.Integer(),
});
export const RetentionSetting = Type.Object({
  retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()]),
});
export const RetentionBody = Type.Object(
  { retentionDays: RetentionSetting.properties.retentionDays },
  { additionalProperties: false },
);
export const ContactParams = Type.Object({ phone: Type.String({ minLength: 1, maxLength: 64 }) });
