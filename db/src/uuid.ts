const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value from outside (a path, a token, a flow) can be a uuid column's value: else Postgres refuses the query. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
