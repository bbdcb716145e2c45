import { type Db, isSealedText, type SecretCipher } from '@parley/db';
import type { AiCallEffect, AiOutcome, EngineEvent, HttpRequestEffect } from '@parley/engine';
import type { ToolRequest } from '../../ai/perform-ai-call.js';
import { performHttpRequest } from '../../http/index.js';
import type { Logger } from '../ops/logger.js';
import type { EffectRepository } from '../repositories/effect-repository.js';
import type { AiCallPerformer } from './ai-call-performer.js';
import { conversationUuid } from './conversation-id.js';
import type { ContactKey } from './conversation-processor.js';

type HttpResult = Awaited<ReturnType<typeof performHttpRequest>>;

/** The effects the runtime performs after their checkpoint committed, answered by an event. */
export type RunnableEffect = HttpRequestEffect | AiCallEffect;

/**
 * Attempts of one model call: a call cut off by a restart is made once more (it may have cost
 * tokens, and a model's tool calls may have acted already), then the block leaves by failure.
 */
export const AI_MAX_ATTEMPTS = 2;

export interface EffectRunnerDeps {
  db: Db;
  effects: EffectRepository;
  /** Opens workspace signing secrets (stored encrypted by the API). */
  signingCipher: () => Promise<SecretCipher>;
  allowPrivateHttp: boolean;
  /** Attempts of one http call (crashes and unstorable results included) before the flow's failure path. */
  maxAttempts: number;
  /** Makes the model calls of AI blocks. */
  ai: AiCallPerformer;
  logger: Logger;
  /** Feeds the result (an http_result or ai_result event) back to the conversation. */
  deliver: (key: ContactKey, event: Extract<EngineEvent, { type: 'http_result' | 'ai_result' }>) => void;
}

/** What the flow gets (as the failure path's result) once a call used up its attempts. */
export function attemptsUsedUp(maxAttempts: number): HttpResult {
  return {
    status: 0,
    error: `The request was tried ${maxAttempts} times without an answer the conversation could use, so it was given up.`,
  };
}

/** What an AI block gets once its model call was cut off by restarts as often as allowed. */
export function aiCutOff(): AiOutcome {
  return {
    ok: false,
    code: 'cut_off',
    error: `The call to the model was cut off ${AI_MAX_ATTEMPTS} times because Parley restarted while waiting for it, so it was given up. If this keeps happening, check that the runtime stays up.`,
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
  };
}

/** Log fields of a call: conversationId is conversations.id, the id the API and the admin see. */
function logIds(key: ContactKey, effect: RunnableEffect) {
  return {
    numberId: key.numberId,
    conversationId: conversationUuid(key.numberId, effect.conversationId),
    engineId: effect.conversationId,
    requestId: effect.requestId,
  };
}

/** Performs the engine's http_request and ai_call effects after their checkpoint committed. */
export class EffectRunner {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(private readonly deps: EffectRunnerDeps) {}

  /**
   * Runs a call once more, unless it used up its attempts (then the flow gets the failure). With
   * `staleMs` (a re-run after a crash) only if no runtime attempted it within that time.
   */
  run(key: ContactKey, workspaceId: string, effect: RunnableEffect, staleMs: number | null = null): void {
    if (this.inFlight.has(effect.requestId)) return;
    const work = this.attempt(key, workspaceId, effect, staleMs)
      .catch((error: unknown) => {
        // The pending row stays, so the maintenance sweep re-runs the call later.
        this.deps.logger.warn(
          { err: error, ...logIds(key, effect) },
          `could not start ${effect.type}; it will be tried again`,
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
    effect: RunnableEffect,
    staleMs: number | null,
  ): Promise<void> {
    const attempts = await this.deps.effects.beginAttempt(this.deps.db, effect.requestId, staleMs);
    if (attempts === null) return;
    const { requestId } = effect;
    const maxAttempts = effect.type === 'ai_call' ? AI_MAX_ATTEMPTS : this.deps.maxAttempts;
    if (attempts > maxAttempts) {
      this.deps.logger.warn(
        { ...logIds(key, effect), attempts: attempts - 1 },
        `${effect.type} gave up after its attempts; the flow follows its failure path`,
      );
      this.deps.deliver(
        key,
        effect.type === 'ai_call'
          ? { type: 'ai_result', requestId, result: aiCutOff() }
          : { type: 'http_result', requestId, result: attemptsUsedUp(maxAttempts) },
      );
      return;
    }
    if (effect.type === 'http_request') {
      this.deps.deliver(key, {
        type: 'http_result',
        requestId,
        result: await this.perform(key, workspaceId, effect),
      });
      return;
    }
    const outcome = await this.deps.ai.perform(key, workspaceId, effect);
    // The engine notes in the transcript that the call was made again.
    const result: AiOutcome = attempts > 1 ? { ...outcome, retried: true } : outcome;
    this.deps.deliver(key, { type: 'ai_result', requestId, result });
  }

  /** A tool call of an AI block: an http request like the block's own, with its own request id. */
  runTool(workspaceId: string, request: ToolRequest, requestId: string): Promise<HttpResult> {
    return this.request(workspaceId, request, requestId);
  }

  private async perform(
    key: ContactKey,
    workspaceId: string,
    effect: HttpRequestEffect,
  ): Promise<HttpResult> {
    const result = await this.request(workspaceId, effect.request, effect.requestId);
    if ('error' in result) {
      this.deps.logger.info({ ...logIds(key, effect), error: result.error }, 'http_request failed');
    }
    return result;
  }

  /** Sends a request signed with the workspace's secret, through the private-address guard. */
  private async request(workspaceId: string, spec: ToolRequest, requestId: string): Promise<HttpResult> {
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
    const request = { ...spec, headers: { ...spec.headers, 'x-parley-request-id': requestId } };
    return performHttpRequest(request, {
      allowPrivate: this.deps.allowPrivateHttp,
      ...(secret === null ? {} : { signingSecret: secret }),
    });
  }

  /** The workspace's signing secret in clear; a row from before encryption is still plaintext. */
  private async signingSecret(workspaceId: string): Promise<string | null> {
    const stored = await this.deps.effects.signingSecret(this.deps.db, workspaceId);
    if (stored === null || !isSealedText(stored)) return stored;
    return (await this.deps.signingCipher()).openText(stored, workspaceId);
  }
}
