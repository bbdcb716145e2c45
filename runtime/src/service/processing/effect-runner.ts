import { type Db, isSealedText, type SecretCipher } from '@parley/db';
import type { HttpRequestEffect } from '@parley/engine';
import { performHttpRequest } from '../../http/index.js';
import type { Logger } from '../ops/logger.js';
import type { EffectRepository } from '../repositories/effect-repository.js';
import { conversationUuid } from './conversation-id.js';
import type { ContactKey } from './conversation-processor.js';

type HttpResult = Awaited<ReturnType<typeof performHttpRequest>>;

export interface EffectRunnerDeps {
  db: Db;
  effects: EffectRepository;
  /** Opens workspace signing secrets (stored encrypted by the API). */
  signingCipher: () => Promise<SecretCipher>;
  allowPrivateHttp: boolean;
  /** Attempts of one call (crashes and unstorable results included) before the flow's failure path. */
  maxAttempts: number;
  logger: Logger;
  /** Feeds the result back to the conversation. */
  deliver: (key: ContactKey, requestId: string, result: HttpResult) => void;
}

/** What the flow gets (as the failure path's result) once a call used up its attempts. */
export function attemptsUsedUp(maxAttempts: number): HttpResult {
  return {
    status: 0,
    error: `The request was tried ${maxAttempts} times without an answer the conversation could use, so it was given up.`,
  };
}

/** Log fields of a call: conversationId is conversations.id, the id the API and the admin see. */
function logIds(key: ContactKey, effect: HttpRequestEffect) {
  return {
    numberId: key.numberId,
    conversationId: conversationUuid(key.numberId, effect.conversationId),
    engineId: effect.conversationId,
    requestId: effect.requestId,
  };
}

/** Performs the engine's http_request effects after their checkpoint committed. */
export class EffectRunner {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: EffectRunnerDeps) {}

  /**
   * Runs a call once more, unless it used up its attempts (then the flow gets the failure). With
   * `staleMs` (a re-run after a crash) only if no runtime attempted it within that time.
   */
  run(key: ContactKey, workspaceId: string, effect: HttpRequestEffect, staleMs: number | null = null): void {
    if (this.inFlight.has(effect.requestId)) return;
    const work = this.attempt(key, workspaceId, effect, staleMs)
      .catch((error: unknown) => {
        // The pending row stays, so the maintenance sweep re-runs the call later.
        this.deps.logger.warn(
          { err: error, ...logIds(key, effect) },
          'could not start http_request; it will be tried again',
        );
      })
      .finally(() => this.inFlight.delete(effect.requestId));
    this.inFlight.set(effect.requestId, work);
  }

  isRunning(requestId: string): boolean {
    return this.inFlight.has(requestId);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private async attempt(
    key: ContactKey,
    workspaceId: string,
    effect: HttpRequestEffect,
    staleMs: number | null,
  ): Promise<void> {
    const attempts = await this.deps.effects.beginAttempt(this.deps.db, effect.requestId, staleMs);
    if (attempts === null) return;
    if (attempts > this.deps.maxAttempts) {
      this.deps.logger.warn(
        { ...logIds(key, effect), attempts: attempts - 1 },
        'http_request gave up after its attempts; the flow follows its failure path',
      );
      this.deps.deliver(key, effect.requestId, attemptsUsedUp(this.deps.maxAttempts));
      return;
    }
    this.deps.deliver(key, effect.requestId, await this.perform(key, workspaceId, effect));
  }

  private async perform(
    key: ContactKey,
    workspaceId: string,
    effect: HttpRequestEffect,
  ): Promise<HttpResult> {
    let secret: string | null;
    try {
      secret = await this.signingSecret(workspaceId);
    } catch (error) {
      // Sending unsigned would let receivers that check signatures act on an unverified call.
      this.deps.logger.error({ err: error, workspaceId }, 'the workspace signing secret cannot be read');
      return {
        status: 0,
        error: 'The workspace signing secret could not be read, so the call was not made.',
      };
    }
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
      this.deps.logger.info({ ...logIds(key, effect), error: result.error }, 'http_request failed');
    }
    return result;
  }

  /** The workspace's signing secret in clear; a row from before encryption is still plaintext. */
  private async signingSecret(workspaceId: string): Promise<string | null> {
    const stored = await this.deps.effects.signingSecret(this.deps.db, workspaceId);
    if (stored === null || !isSealedText(stored)) return stored;
    return (await this.deps.signingCipher()).openText(stored, workspaceId);
  }
}
