import {
  AiSdkGateway,
  estimateCost,
  type FetchFunction,
  type ModelCallRecord,
  type ProviderConfig,
} from '@parley/ai';
import type { Db, SecretCipher } from '@parley/db';
import type { AiCallEffect, AiOutcome, HttpOutcome } from '@parley/engine';
import { performAiCall, type ToolRequest } from '../../ai/perform-ai-call.js';
import type { Logger } from '../ops/logger.js';
import type { RuntimeMetrics } from '../ops/metrics.js';
import type { AiRepository } from '../repositories/ai-repository.js';
import { conversationUuid } from './conversation-id.js';
import type { ContactKey } from './conversation-processor.js';

export interface AiCallPerformerDeps {
  db: Db;
  ai: AiRepository;
  /** Opens provider keys (sealed by the API with `cipherPurposes.aiKey`). */
  keyCipher: () => Promise<SecretCipher>;
  /** How model providers are reached: the private-address guard unless private HTTP is allowed. */
  providerFetch: FetchFunction;
  /** Performs a tool's request like an http_request block (guard, signature, request id). */
  runTool: (workspaceId: string, request: ToolRequest, requestId: string) => Promise<HttpOutcome>;
  metrics: RuntimeMetrics;
  logger: Logger;
}

const noTokens = { inputTokens: 0, outputTokens: 0 };

function failed(code: 'quota' | 'no_credential', error: string): AiOutcome {
  return { ok: false, code, error, toolCalls: [], usage: noTokens };
}

/** "This workspace has used its 200,000 AI tokens for December…" */
export function quotaReached(quota: number, now: Date): string {
  const month = now.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' });
  return (
    `This workspace has used its ${quota.toLocaleString('en-US')} AI tokens for ${month}. ` +
    'An admin can raise the monthly limit on the AI providers page.'
  );
}

/** Performs one AI block's model call: quota, credential, model and tools, usage and metrics. */
export class AiCallPerformer {
  constructor(private readonly deps: AiCallPerformerDeps) {}

  async perform(key: ContactKey, workspaceId: string, effect: AiCallEffect): Promise<AiOutcome> {
    const { call } = effect;
    const ids = {
      numberId: key.numberId,
      conversationId: conversationUuid(key.numberId, effect.conversationId),
      requestId: effect.requestId,
      nodeId: effect.nodeId,
    };
    const { quota, used } = await this.deps.ai.monthlyTokens(this.deps.db, workspaceId);
    if (quota !== null && used >= quota) {
      this.deps.logger.info({ ...ids, quota, used }, 'AI call not made: the monthly token quota is used up');
      return failed('quota', quotaReached(quota, new Date()));
    }
    const provider = await this.provider(workspaceId, call.credentialId, ids);
    if ('error' in provider) return failed('no_credential', provider.error);
    // One write after the other, so usage rows keep the order of the calls.
    let recorded = Promise.resolve();
    const gateway = new AiSdkGateway({
      fetch: this.deps.providerFetch,
      onCall: (record) => {
        recorded = recorded.then(() => this.record(workspaceId, effect, ids, record));
      },
    });
    let tools = 0;
    const outcome = await performAiCall(call, {
      gateway,
      provider: provider.config,
      // Each tool call has its own id, the same when the call is made again after a restart.
      runTool: async (request) => {
        tools += 1;
        const requestId = `${effect.requestId}:tool-${tools}`;
        const answer = await this.deps.runTool(workspaceId, request, requestId);
        // A private address refused by the guard ends here too, in the error's words.
        if ('error' in answer)
          this.deps.logger.warn(
            { ...ids, toolRequestId: requestId, error: answer.error },
            'AI tool call got no answer',
          );
        return answer;
      },
      transcript: (until) => this.deps.ai.transcript(this.deps.db, ids.conversationId, until),
    });
    await recorded;
    this.logRefusals(outcome, ids);
    return outcome;
  }

  /** The provider of the workspace's credential, its key opened; else why the call cannot be made. */
  private async provider(
    workspaceId: string,
    credentialId: string,
    ids: Record<string, string>,
  ): Promise<{ config: ProviderConfig } | { error: string }> {
    const credential = await this.deps.ai.credential(this.deps.db, workspaceId, credentialId);
    if (credential === null) {
      this.deps.logger.warn(
        { ...ids, credentialId },
        'AI call not made: the provider is not in this workspace',
      );
      return {
        error:
          'The AI provider this block uses is not in this workspace any more. Open the block and pick a provider from the AI providers page.',
      };
    }
    const config: ProviderConfig = { kind: credential.kind };
    if (credential.baseUrl !== null) config.baseUrl = credential.baseUrl;
    if (credential.sealedKey !== null) {
      try {
        const cipher = await this.deps.keyCipher();
        config.apiKey = cipher.openText(credential.sealedKey, `${workspaceId}/${credentialId}`);
      } catch (error) {
        this.deps.logger.error({ ...ids, credentialId, err: error }, 'the AI provider key cannot be opened');
        return {
          error: `The key of the AI provider “${credential.name}” could not be read (the server's secret key may have changed). Enter the key again on the AI providers page.`,
        };
      }
    }
    return { config };
  }

  /** One `ai_usage` row and the metrics of a model call; a failed write is logged, the call goes on. */
  private async record(
    workspaceId: string,
    effect: AiCallEffect,
    ids: { conversationId: string },
    record: ModelCallRecord,
  ): Promise<void> {
    const labels = { provider: record.kind, model: record.model };
    this.deps.metrics.aiCalls.inc({ ...labels, outcome: record.ok ? 'ok' : (record.code ?? 'error') });
    this.deps.metrics.aiTokens.inc({ ...labels, direction: 'input' }, record.usage.inputTokens);
    this.deps.metrics.aiTokens.inc({ ...labels, direction: 'output' }, record.usage.outputTokens);
    this.deps.metrics.aiCallSeconds.observe(labels, record.latencyMs / 1000);
    const cost = estimateCost(record.kind, record.model, record.usage);
    try {
      await this.deps.ai.recordUsage(this.deps.db, {
        workspaceId,
        credentialId: effect.call.credentialId,
        conversationId: ids.conversationId,
        nodeId: effect.nodeId,
        kind: record.kind,
        model: record.model,
        inputTokens: record.usage.inputTokens,
        outputTokens: record.usage.outputTokens,
        costUsd: cost.known ? cost.usd : null,
        errorCode: record.code ?? null,
        latencyMs: Math.max(0, Math.round(record.latencyMs)),
      });
    } catch (error) {
      this.deps.metrics.errors.inc({ kind: 'ai_usage' });
      this.deps.logger.error(
        { ...ids, err: error, tokens: record.usage },
        'the usage of an AI call could not be recorded; the monthly quota misses it',
      );
    }
  }

  /** Refused tool calls and extraction values are logged with their ids; the engine stores none. */
  private logRefusals(outcome: AiOutcome, ids: Record<string, string>): void {
    for (const call of outcome.toolCalls) {
      if (call.refused !== undefined)
        this.deps.logger.warn({ ...ids, tool: call.name, reason: call.refused }, 'AI tool call refused');
    }
    // The reason quotes the contact's words, so it stays in the transcript (erasable), not the log.
    if (outcome.ok && outcome.refused !== undefined) {
      for (const field of Object.keys(outcome.refused))
        this.deps.logger.warn({ ...ids, field }, 'AI extraction value refused');
    }
  }
}
