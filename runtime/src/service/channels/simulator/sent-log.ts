import type { Redis } from 'ioredis';

/**
 * What the simulator "delivered", by idempotency key. It plays the part of WhatsApp's own record
 * of sent messages: it outlives a runtime crash (in Redis), so a resend after a crash is detected,
 * and tests can count deliveries.
 */
export interface SentLog {
  /** Records a delivery; returns the id of an earlier delivery with the same key instead, if any. */
  record(numberId: string, key: string, channelMessageId: string): Promise<string | null>;
  find(numberId: string, key: string): Promise<string | null>;
  /** Every delivery in order, duplicates included (there should be none). */
  deliveries(numberId: string): Promise<string[]>;
}

export class MemorySentLog implements SentLog {
  private readonly byKey = new Map<string, string>();
  private readonly log = new Map<string, string[]>();

  async record(numberId: string, key: string, channelMessageId: string): Promise<string | null> {
    const earlier = this.byKey.get(`${numberId} ${key}`);
    if (earlier !== undefined) return earlier;
    this.byKey.set(`${numberId} ${key}`, channelMessageId);
    this.log.set(numberId, [...(this.log.get(numberId) ?? []), key]);
    return null;
  }

  async find(numberId: string, key: string): Promise<string | null> {
    return this.byKey.get(`${numberId} ${key}`) ?? null;
  }

  async deliveries(numberId: string): Promise<string[]> {
    return this.log.get(numberId) ?? [];
  }
}

export class RedisSentLog implements SentLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async record(numberId: string, key: string, channelMessageId: string): Promise<string | null> {
    const created = await this.redis.hsetnx(`${this.prefix}sim:sent:${numberId}`, key, channelMessageId);
    if (created === 0) return this.find(numberId, key);
    await this.redis.rpush(`${this.prefix}sim:log:${numberId}`, key);
    return null;
  }

  async find(numberId: string, key: string): Promise<string | null> {
    return this.redis.hget(`${this.prefix}sim:sent:${numberId}`, key);
  }

  async deliveries(numberId: string): Promise<string[]> {
    return this.redis.lrange(`${this.prefix}sim:log:${numberId}`, 0, -1);
  }
}
