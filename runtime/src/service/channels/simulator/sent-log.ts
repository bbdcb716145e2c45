import type { Redis } from 'ioredis';
import { idempotencyKeyPrefix } from '../channel.js';

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
  /** Drops a simulator number's record (its session ended). */
  forgetNumber(numberId: string): Promise<void>;
  /** Drops a contact's deliveries (their keys carry the phone): contact erasure. */
  forgetContact(numberId: string, contact: string): Promise<void>;
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

  async forgetNumber(numberId: string): Promise<void> {
    for (const key of this.byKey.keys()) if (key.startsWith(`${numberId} `)) this.byKey.delete(key);
    this.log.delete(numberId);
  }

  async forgetContact(numberId: string, contact: string): Promise<void> {
    const prefix = idempotencyKeyPrefix(numberId, contact);
    for (const id of this.byKey.keys()) if (id.startsWith(`${numberId} ${prefix}`)) this.byKey.delete(id);
    this.log.set(
      numberId,
      (this.log.get(numberId) ?? []).filter((key) => !key.startsWith(prefix)),
    );
  }
}

/**
 * How long a simulator number's record outlives its last delivery: far longer than any resend
 * after a crash, and the record goes at once when the session is deleted.
 */
export const SENT_LOG_TTL_SECONDS = 24 * 3600;

/**
 * Marks the key delivered and appends it to the log in one step: a crash between two separate
 * commands would leave a message that counts as delivered (so it is never resent) but is missing
 * from the log.
 */
const RECORD = `if redis.call('hsetnx', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('rpush', KEYS[2], ARGV[1])
  redis.call('expire', KEYS[1], ARGV[3])
  redis.call('expire', KEYS[2], ARGV[3])
  return false
end
return redis.call('hget', KEYS[1], ARGV[1])`;

export class RedisSentLog implements SentLog {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async record(numberId: string, key: string, channelMessageId: string): Promise<string | null> {
    const earlier = await this.redis.eval(
      RECORD,
      2,
      `${this.prefix}sim:sent:${numberId}`,
      `${this.prefix}sim:log:${numberId}`,
      key,
      channelMessageId,
      SENT_LOG_TTL_SECONDS,
    );
    return typeof earlier === 'string' ? earlier : null;
  }

  async find(numberId: string, key: string): Promise<string | null> {
    return this.redis.hget(`${this.prefix}sim:sent:${numberId}`, key);
  }

  async deliveries(numberId: string): Promise<string[]> {
    return this.redis.lrange(`${this.prefix}sim:log:${numberId}`, 0, -1);
  }

  async forgetNumber(numberId: string): Promise<void> {
    await this.redis.del(`${this.prefix}sim:sent:${numberId}`, `${this.prefix}sim:log:${numberId}`);
  }

  async forgetContact(numberId: string, contact: string): Promise<void> {
    const prefix = idempotencyKeyPrefix(numberId, contact);
    const sent = `${this.prefix}sim:sent:${numberId}`;
    const keys = (await this.redis.hkeys(sent)).filter((key) => key.startsWith(prefix));
    if (keys.length === 0) return;
    const forget = this.redis.multi().hdel(sent, ...keys);
    for (const key of keys) forget.lrem(`${this.prefix}sim:log:${numberId}`, 0, key);
    await forget.exec();
  }
}
