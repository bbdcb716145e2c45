import type { Db } from '@parley/db';
import type { HttpRequestEffect } from '../../engine/events.js';
import { performHttpRequest } from '../../http/index.js';
import type { Logger } from '../ops/logger.js';
import type { EffectRepository } from '../repositories/effect-repository.js';
import type { ContactKey } from './conversation-processor.js';

export interface EffectRunnerDeps {
  db: Db;
  effects: EffectRepository;
  allowPrivateHttp: boolean;
  logger: Logger;
  /** Feeds the result back to the conversation. */
  deliver: (
    key: ContactKey,
    requestId: string,
    result: Awaited<ReturnType<typeof performHttpRequest>>,
  ) => void;
}

/** Performs the engine's http_request effects after their checkpoint committed. */
export class EffectRunner {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: EffectRunnerDeps) {}

  run(key: ContactKey, workspaceId: string, effect: HttpRequestEffect): void {
    if (this.inFlight.has(effect.requestId)) return;
    const work = this.perform(key, workspaceId, effect).finally(() => this.inFlight.delete(effect.requestId));
    this.inFlight.set(effect.requestId, work);
  }

  isRunning(requestId: string): boolean {
    return this.inFlight.has(requestId);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async perform(key: ContactKey, workspaceId: string, effect: HttpRequestEffect): Promise<void> {
    const secret = await this.deps.effects.signingSecret(this.deps.db, workspaceId).catch(() => null);
    // The request id lets the receiver recognise a call re-run after a crash.
    const request = {
      ...effect.request,
      headers: { ...effect.request.headers, 'x-parley-request-id': effect.requestId },
    };
    const result = await performHttpRequest(request, {
      allowPrivate: this.deps.allowPrivateHttp,
      ...(secret === null ? {} : { signingSecret: secret }),
    });
    if ('error' in result) {
      this.deps.logger.info(
        { conversationId: effect.conversationId, requestId: effect.requestId, error: result.error },
        'http_request failed',
      );
    }
    this.deps.deliver(key, effect.requestId, result);
  }
}
