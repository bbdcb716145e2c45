import { createHash } from 'node:crypto';
import type { Db } from '@parley/db';
import type { Bus } from './bus.js';

/** A Postgres channel name (identifiers are limited to 63 bytes). */
function channelName(prefix: string, channel: string): string {
  return `p_${createHash('sha1')
    .update(prefix + channel)
    .digest('hex')
    .slice(0, 40)}`;
}

/** LISTEN/NOTIFY, for deployments with Postgres but no Redis. */
export class PgBus implements Bus {
  private readonly stops = new Set<() => Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly prefix: string,
  ) {}

  async publish(channel: string, message: unknown): Promise<void> {
    await this.db.query('select pg_notify($1, $2)', [
      channelName(this.prefix, channel),
      JSON.stringify(message),
    ]);
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>> {
    const stop = await this.db.listen(channelName(this.prefix, channel), (payload) =>
      handler(JSON.parse(payload)),
    );
    this.stops.add(stop);
    return async () => {
      this.stops.delete(stop);
      await stop();
    };
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.stops].map((stop) => stop()));
  }
}
