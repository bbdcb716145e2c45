import { SESSION_STATES, type SessionState } from '@parley/contract';
import { Gauge, type Registry } from 'prom-client';
import { CONNECTION_STATES, type ConnectionState } from './connection-state.js';

/** Per-number gauges: `parley_whatsapp_state` (1 for the current state) and browser memory. */
export class WhatsAppMetrics {
  readonly state: Gauge<'number' | 'state'>;
  readonly memory: Gauge<'number' | 'kind'>;

  constructor(registry: Registry) {
    this.state = new Gauge({
      name: 'parley_whatsapp_state',
      help: 'WhatsApp session state of each number this process drives (1 = current state)',
      labelNames: ['number', 'state'],
      registers: [registry],
    });
    this.memory = new Gauge({
      name: 'parley_whatsapp_memory_bytes',
      help: "Memory of each number's Chromium process tree (kind: pss, rss summed)",
      labelNames: ['number', 'kind'],
      registers: [registry],
    });
  }

  setState(numberId: string, state: ConnectionState): void {
    for (const each of CONNECTION_STATES)
      this.state.set({ number: numberId, state: each }, each === state ? 1 : 0);
  }

  setMemory(numberId: string, pssBytes: number, rssBytes: number): void {
    this.memory.set({ number: numberId, kind: 'pss' }, pssBytes);
    this.memory.set({ number: numberId, kind: 'rss' }, rssBytes);
  }

  /** A number this process no longer drives. */
  forget(numberId: string): void {
    for (const each of CONNECTION_STATES) this.state.remove({ number: numberId, state: each });
    this.memory.remove({ number: numberId, kind: 'pss' });
    this.memory.remove({ number: numberId, kind: 'rss' });
  }
}
