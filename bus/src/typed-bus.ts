import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import type { Bus } from './bus.js';
import type { BusChannel } from './channels.js';

/** Where a subscriber reports a message that does not match its channel's schema. */
export interface MalformedMessageLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

// Channels of one kind (`sim:<id>`) share their schema object, so each schema compiles once.
const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkOf<S extends TSchema>(schema: S): TypeCheck<S> {
  let check = checks.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check as TypeCheck<S>;
}

/** Publishes a payload of the channel's type. */
export function publish<S extends TSchema>(
  bus: Bus,
  channel: BusChannel<S>,
  payload: Static<S>,
): Promise<void> {
  return bus.publish(channel.name, payload);
}

/**
 * Subscribes to a channel: the handler gets only payloads that match the channel's schema. Any
 * other message (an older or newer process, a bug) is logged with what is wrong, and dropped.
 */
export function subscribe<S extends TSchema>(
  bus: Bus,
  channel: BusChannel<S>,
  handler: (payload: Static<S>) => void,
  logger: MalformedMessageLogger,
): Promise<() => Promise<void>> {
  const check = checkOf(channel.schema);
  return bus.subscribe(channel.name, (message) => {
    if (check.Check(message)) {
      handler(message);
      return;
    }
    const problems = [...check.Errors(message)].slice(0, 5).map((error) => `${error.path} ${error.message}`);
    logger.warn({ channel: channel.name, problems }, 'dropped a malformed bus message');
  });
}
