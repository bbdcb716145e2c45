import { LRUCache } from 'lru-cache';
import { contactOfLid, phoneOfJid } from './translate-inbound.js';

/**
 * Maps `@lid` senders (WhatsApp's privacy ids) to the contact's phone, asking WhatsApp once per id
 * and remembering the answer; an id WhatsApp does not resolve is remembered for a while too and
 * used as the contact itself (`lid:<id>`, replies still reach it).
 */
export class LidResolver {
  private readonly known = new LRUCache<string, string>({ max: 10_000 });
  private readonly unknown = new LRUCache<string, string>({ max: 10_000, ttl: 10 * 60_000 });
  private readonly inFlight = new Map<string, Promise<string>>();

  async contactOf(lid: string, lookup: (lid: string) => Promise<string | null>): Promise<string> {
    const cached = this.known.get(lid) ?? this.unknown.get(lid);
    if (cached !== undefined) return cached;
    let pending = this.inFlight.get(lid);
    if (pending === undefined) {
      pending = lookup(lid)
        .catch(() => null)
        .then((jid) => {
          const phone = jid === null ? null : phoneOfJid(jid);
          if (phone !== null) this.known.set(lid, phone);
          else this.unknown.set(lid, contactOfLid(lid));
          return phone ?? contactOfLid(lid);
        })
        .finally(() => this.inFlight.delete(lid));
      this.inFlight.set(lid, pending);
    }
    return pending;
  }
}
