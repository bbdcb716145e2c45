import { randomUUID } from 'node:crypto';
import { knownModels, listModels, ModelError, type ModelGateway, type ProviderConfig } from '@parley/ai';
import {
  type AiConnectionTest,
  type AiCredential,
  type AiModelList,
  type AiProvider,
  type AiProviderKind,
  Conflict,
  type CreateAiCredentialBody,
  Invalid,
  NotFound,
  type UpdateAiCredentialBody,
} from '@parley/contract';
import { type SecretCipher, SecretDecryptError } from '@parley/db';
import { refusedHost } from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { AiCredentialsRepository, StoredAiCredential } from './ai-credentials.repository.js';

/** The model a test calls when none is chosen: each provider's small, cheap one. */
const TEST_MODELS: Record<Exclude<AiProviderKind, 'openai_compatible'>, string> = {
  openai: 'gpt-4o-mini',
  anthropic: 'claude-haiku-4-5',
  google: 'gemini-2.5-flash',
};

export interface AiCredentialsDeps {
  /** Calls models; its HTTP goes through the private-address guard. */
  gateway: ModelGateway;
  /** The same guarded fetch, for the providers' model lists. */
  fetch: typeof globalThis.fetch;
  cipher: SecretCipher;
}

/**
 * A workspace's AI providers: keys sealed at rest and never returned (replace-only), base URLs
 * under the private-address policy http_request follows, a test call that answers in words.
 */
export class AiCredentialsService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: AiCredentialsRepository,
    private readonly deps: AiCredentialsDeps,
  ) {}

  list(caller: Caller): Promise<AiCredential[]> {
    return this.repository.list(this.api.db, caller.workspaceId);
  }

  /** What the flow editor shows of each provider: no key, no address. */
  async providers(caller: Caller): Promise<AiProvider[]> {
    const credentials = await this.list(caller);
    return credentials.map(({ id, name, kind, defaultModel }) => ({ id, name, kind, defaultModel }));
  }

  async create(caller: Caller, body: CreateAiCredentialBody): Promise<AiCredential> {
    const name = this.name(body.name);
    const baseUrl = this.baseUrl(body.kind, body.baseUrl ?? null);
    const id = randomUUID();
    const stored = await this.api.db.transaction(async (tx) => {
      await this.uniqueName(tx, caller.workspaceId, name);
      const created = await this.repository.create(tx, {
        id,
        workspaceId: caller.workspaceId,
        name,
        kind: body.kind,
        baseUrl,
        sealedKey: body.apiKey === undefined ? null : this.seal(caller.workspaceId, id, body.apiKey.trim()),
        defaultModel: body.defaultModel?.trim() || null,
        createdBy: caller.userId,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'ai_credential.create',
        entity: 'ai_credential',
        entityId: id,
        after: auditView(created.credential),
      });
      return created;
    });
    return stored.credential;
  }

  async update(caller: Caller, id: string, body: UpdateAiCredentialBody): Promise<AiCredential> {
    if (body.apiKey !== undefined && body.removeKey === true)
      throw new Invalid('Either give a new key or remove the key, not both.', [
        { pointer: '/body/removeKey', message: 'Leave this out when apiKey is given.' },
      ]);
    return this.api.db.transaction(async (tx) => {
      const current = await this.repository.find(tx, caller.workspaceId, id, true);
      if (current === null) throw new NotFound('AI provider');
      const before = current.credential;
      const name = body.name === undefined ? before.name : this.name(body.name);
      if (name.toLowerCase() !== before.name.toLowerCase())
        await this.uniqueName(tx, caller.workspaceId, name, id);
      const baseUrl = body.baseUrl === undefined ? before.baseUrl : this.baseUrl(before.kind, body.baseUrl);
      const sealedKey =
        body.removeKey === true
          ? null
          : body.apiKey === undefined
            ? current.sealedKey
            : this.seal(caller.workspaceId, id, body.apiKey.trim());
      const defaultModel =
        body.defaultModel === undefined ? before.defaultModel : body.defaultModel?.trim() || null;
      const updated = await this.repository.update(tx, id, { name, baseUrl, sealedKey, defaultModel });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'ai_credential.update',
        entity: 'ai_credential',
        entityId: id,
        before: auditView(before),
        // Whether the key changed, never the key.
        after: { ...auditView(updated.credential), keyReplaced: body.apiKey !== undefined },
      });
      return updated.credential;
    });
  }

  async remove(caller: Caller, id: string): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      const current = await this.repository.find(tx, caller.workspaceId, id, true);
      if (current === null) throw new NotFound('AI provider');
      await this.repository.delete(tx, id);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'ai_credential.delete',
        entity: 'ai_credential',
        entityId: id,
        before: auditView(current.credential),
      });
    });
  }

  /** A tiny real call: the answer says in words whether the provider, key and model work. */
  async test(caller: Caller, id: string, chosenModel: string | undefined): Promise<AiConnectionTest> {
    const started = Date.now();
    const stored = await this.find(caller, id);
    const outcome = (ok: boolean, message: string, model: string | null, code: string | null) => ({
      ok,
      message,
      model,
      code,
      latencyMs: Date.now() - started,
    });
    const provider = this.providerConfig(stored);
    if (provider instanceof ModelError) return outcome(false, provider.message, null, provider.code);
    let model = chosenModel?.trim() || stored.credential.defaultModel;
    try {
      if (model === null) {
        model =
          stored.credential.kind === 'openai_compatible'
            ? ((await listModels(provider, { fetch: this.deps.fetch })).models[0] ?? null)
            : TEST_MODELS[stored.credential.kind];
      }
      if (model === null)
        return outcome(
          false,
          'The server lists no models. Type the name of a model it serves as the default model, then test again.',
          null,
          'model_not_found',
        );
      const result = await this.deps.gateway.generate({
        provider,
        model,
        messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
        maxOutputTokens: 16,
        timeoutMs: 20_000,
      });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const said = result.text.trim() === '' ? '' : ` It said: “${result.text.trim().slice(0, 80)}”.`;
      return outcome(true, `Connected: ${model} answered in ${seconds} s.${said}`, model, null);
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      this.api.logger.info(
        { credentialId: id, code: error.code, detail: error.options.detail },
        'an AI provider test call failed',
      );
      return outcome(false, error.message, model, error.code);
    }
  }

  /** The provider's own model list; Parley's known list (and why) when it cannot be read. */
  async models(caller: Caller, id: string): Promise<AiModelList> {
    const stored = await this.find(caller, id);
    const provider = this.providerConfig(stored);
    const known = knownModels(stored.credential.kind);
    if (provider instanceof ModelError) return { models: known, source: 'known', problem: provider.message };
    try {
      const list = await listModels(provider, { fetch: this.deps.fetch });
      return { ...list, problem: null };
    } catch (error) {
      if (!(error instanceof ModelError)) throw error;
      return { models: known, source: 'known', problem: error.message };
    }
  }

  private async find(caller: Caller, id: string): Promise<StoredAiCredential> {
    const stored = await this.repository.find(this.api.db, caller.workspaceId, id);
    if (stored === null) throw new NotFound('AI provider');
    return stored;
  }

  /** What the gateway needs, the key opened; a ModelError when the key cannot be read any more. */
  private providerConfig(stored: StoredAiCredential): ProviderConfig | ModelError {
    const { credential } = stored;
    let apiKey: string | undefined;
    if (stored.sealedKey !== null) {
      try {
        apiKey = this.deps.cipher.openText(stored.sealedKey, keyContext(stored.workspaceId, credential.id));
      } catch (error) {
        if (!(error instanceof SecretDecryptError)) throw error;
        this.api.logger.warn(
          { credentialId: credential.id, reason: error.message },
          'an AI key cannot be decrypted',
        );
        return new ModelError(
          'auth_refused',
          'Parley can no longer read this provider’s key (its secret key changed since the key was saved). Enter the key again.',
        );
      }
    }
    return {
      kind: credential.kind,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(credential.baseUrl === null ? {} : { baseUrl: credential.baseUrl }),
    };
  }

  private seal(workspaceId: string, id: string, key: string): string {
    if (key === '')
      throw new Invalid('The API key is blank. Paste the whole key from the provider’s dashboard.', [
        { pointer: '/body/apiKey', message: 'Must not be blank.' },
      ]);
    return this.deps.cipher.sealText(key, keyContext(workspaceId, id));
  }

  private name(name: string): string {
    const trimmed = name.trim();
    if (trimmed === '')
      throw new Invalid('Give the provider a name that tells it apart, e.g. “OpenAI (shop account)”.', [
        { pointer: '/body/name', message: 'Must not be blank.' },
      ]);
    return trimmed;
  }

  private async uniqueName(
    db: Parameters<AiCredentialsRepository['nameTaken']>[0],
    workspaceId: string,
    name: string,
    exceptId?: string,
  ): Promise<void> {
    if (await this.repository.nameTaken(db, workspaceId, name, exceptId))
      throw new Conflict(`There is already an AI provider called “${name}”. Choose another name.`, [
        { pointer: '/body/name', message: 'Already used in this workspace.' },
      ]);
  }

  /** Base URLs follow the policy http_request follows: no private or local address unless allowed. */
  private baseUrl(kind: AiProviderKind, url: string | null): string | null {
    const trimmed = url?.trim() ?? '';
    if (trimmed === '') {
      if (kind === 'openai_compatible')
        throw new Invalid(
          'An OpenAI-compatible server needs its base URL, e.g. http://localhost:11434/v1 for Ollama.',
          [{ pointer: '/body/baseUrl', message: 'Required for openai_compatible.' }],
        );
      return null;
    }
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      throw new Invalid(
        'The base URL is not a valid address. Paste the full address, starting with https://.',
        [{ pointer: '/body/baseUrl', message: 'Not a URL.' }],
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new Invalid('The base URL must start with http:// or https://.', [
        { pointer: '/body/baseUrl', message: 'Not an http(s) URL.' },
      ]);
    const host = this.api.config.allowPrivateHttp === true ? null : refusedHost(parsed.href);
    if (host !== null)
      throw new Invalid(
        `The base URL points to ${host}, a private or local address, which Parley does not call. Use a public address, or ask whoever runs Parley to set PARLEY_ALLOW_PRIVATE_HTTP=1 (needed for a model server such as Ollama on your own network).`,
        [{ pointer: '/body/baseUrl', message: 'Private or local address.' }],
      );
    return parsed.href.replace(/\/+$/, '');
  }
}

/** A sealed key is bound to its workspace and credential: copied to another row, it fails. */
function keyContext(workspaceId: string, id: string): string {
  return `${workspaceId}/${id}`;
}

function auditView(credential: AiCredential) {
  return {
    name: credential.name,
    kind: credential.kind,
    baseUrl: credential.baseUrl,
    defaultModel: credential.defaultModel,
    keySet: credential.keySet,
  };
}
