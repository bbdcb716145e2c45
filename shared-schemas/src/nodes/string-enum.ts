import { type TUnsafe, Type } from '@sinclair/typebox';

/**
 * A string from a fixed list, as JSON Schema `enum` (TypeBox's union of literals becomes an anyOf
 * of consts, whose errors read badly). `message` is what an admin sees when the value is not listed.
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  message?: string,
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...(message === undefined ? {} : { 'x-message': message }),
  });
}
