import type { CompiledFlow, EngineEvent, OutboundMessage } from '@parley/engine';
import { answersOf, type Contact, type ContactState, initialState, nextTimerAt, step } from '@parley/engine';
import type { ConversationStatus } from '@parley/schemas';
import { performHttpRequest } from '../http/index.js';
import type { ScriptLine } from './script-line.js';

export interface SimulatorOptions {
  contact?: Contact;
  allowPrivateHttp?: boolean;
  /** Start of the virtual clock (epoch ms). */
  startAt?: number;
}

export interface SimulationResult {
  status: 'none' | ConversationStatus;
  answers: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/**
 * One contact talking to one flow, with the production engine, real http requests and a virtual
 * clock: timers fire when `#wait` moves the clock past them, delays pass at once.
 */
export class Simulator {
  private state: ContactState;
  private now: number;
  private messageSeq = 0;

  constructor(
    private readonly flow: CompiledFlow,
    private readonly options: SimulatorOptions = {},
  ) {
    this.state = initialState(options.contact ?? {});
    this.now = options.startAt ?? Date.now();
  }

  /** Plays one script line; resolves with the bot messages it caused, in order. */
  async play(line: ScriptLine): Promise<OutboundMessage[]> {
    if (line.kind === 'wait') return this.advance(line.minutes * 60_000);
    this.messageSeq += 1;
    const id = `sim-${this.messageSeq}`;
    const event: EngineEvent =
      line.kind === 'text'
        ? { type: 'message', id, text: line.text }
        : line.kind === 'media'
          ? { type: 'message', id, media: line.media }
          : { type: 'message', id, location: line.location };
    return this.apply(event);
  }

  result(): SimulationResult {
    const conversation = this.state.conversation;
    if (conversation === null) return { status: 'none', answers: {}, variables: {} };
    return {
      status: conversation.status,
      answers: answersOf(this.flow, conversation),
      variables: conversation.variables,
    };
  }

  private async advance(ms: number): Promise<OutboundMessage[]> {
    const target = this.now + ms;
    const outbound: OutboundMessage[] = [];
    for (
      let at = nextTimerAt(this.flow, this.state);
      at !== null && at <= target;
      at = nextTimerAt(this.flow, this.state)
    ) {
      this.now = Math.max(this.now, at);
      outbound.push(...(await this.apply({ type: 'timer' })));
    }
    this.now = target;
    return outbound;
  }

  /** Steps the engine and carries out its http requests, feeding each result back at the same instant. */
  private async apply(event: EngineEvent): Promise<OutboundMessage[]> {
    const outbound: OutboundMessage[] = [];
    let next: EngineEvent | null = event;
    while (next !== null) {
      const result = step(this.flow, this.state, next, this.now, { inlineDelays: true });
      this.state = result.state;
      outbound.push(...result.outbound);
      next = null;
      for (const effect of result.effects) {
        if (effect.type !== 'http_request') continue;
        const outcome = await performHttpRequest(effect.request, {
          allowPrivate: this.options.allowPrivateHttp === true,
        });
        next = { type: 'http_result', requestId: effect.requestId, result: outcome };
      }
    }
    return outbound;
  }
}
