import type { Redis } from 'ioredis';
import type { Bus } from './bus.js';

/** Redis pub/sub; the subscriber needs its own connection (a subscribed connection runs nothing else). */
export class RedisBus implements Bus {
  private readonly handlers = new Map<string, Set<(message: unknown) => void>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, raw: string) => {
      const handlers = this.handlers.get(channel);
      if (handlers === undefined) return;
      const message: unknown = JSON.parse(raw);
      for (const handler of handlers) handler(message);
    });
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + channel, JSON.stringify(message));
  }

  async subscribe(channel: string, handler: (message: unknown) => void): Promise<() => Promise<void>> {
    const name = this.prefix + channel;
    const handlers = this.handlers.get(name) ?? new Set();
    if (handlers.size === 0) await this.subscriber.subscribe(name);
    handlers.add(handler);
    this.handlers.set(name, handlers);
    return async () => {
      handlers.delete(handler);
      if (handlers.size === 0) {
        this.handlers.delete(name);
        await this.subscriber.unsubscribe(name).catch(() => undefined);
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.subscriber.disconnect();
  }
}
