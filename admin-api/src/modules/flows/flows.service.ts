import { createHash } from 'node:crypto';
import { busChannels, publish } from '@parley/bus';
import {
  Conflict,
  DraftConflict,
  FlowNotFound,
  NotFound,
  PreconditionFailed,
  Unprocessable,
  VersionNotFound,
} from '@parley/contract';
import type { Queryable } from '@parley/db';
import {
  deriveForm,
  diffFlows,
  type FlowChange,
  type FlowDocument,
  formatPhone,
  maskHeaderValues,
  type Problem,
  structuralProblems,
  type ValidationOptions,
  validateFlow,
  validateForPublish,
} from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import { blankFlow } from './blank-flow.js';
import type { FlowRecord, FlowsRepository, ServingNumber, VersionRecord } from './flows.repository.js';
import type { HeaderSecrets } from './header-secrets.js';

export interface FlowView {
  id: string;
  name: string;
  draft: { definition: unknown; etag: string };
  publishedVersion: number | null;
  createdAt: string;
  updatedAt: string;
}

/** Header values are secrets: every role sees them masked, in every response carrying a definition. */
const view = (flow: FlowRecord): FlowView => ({
  id: flow.id,
  name: flow.name,
  draft: { definition: maskHeaderValues(flow.draft), etag: flow.draftEtag },
  publishedVersion: flow.publishedVersion,
  createdAt: flow.createdAt,
  updatedAt: flow.updatedAt,
});

const checksumOf = (definition: unknown) =>
  createHash('sha256').update(JSON.stringify(definition)).digest('hex');

/** The draft's name, when it carries a usable one. */
function nameIn(definition: unknown, fallback: string): string {
  const name = (definition as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : fallback;
}

/** "+34 612 34 56 78 (Front desk)" */
const numberName = (number: ServingNumber) =>
  number.label === null ? formatPhone(number.phone) : `${formatPhone(number.phone)} (${number.label})`;

function problemsView(problems: Problem[]) {
  return problems.map(({ pointer, message }) => ({ pointer, message }));
}

/** Flows and versions: drafts with optimistic concurrency, immutable published versions, rollback. */
export class FlowsService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: FlowsRepository,
    private readonly secrets: HeaderSecrets,
  ) {}

  /**
   * Validation follows what the runtimes allow, so it warns only about what they will refuse, and
   * knows the workspace's AI providers, so a block calling one it lacks cannot be published.
   */
  private async deployment(caller: Caller, db: Queryable = this.api.db): Promise<ValidationOptions> {
    return {
      allowPrivateHttp: this.api.config.allowPrivateHttp === true,
      aiCredentialIds: await this.repository.aiCredentialIds(db, caller.workspaceId),
    };
  }

  /**
   * Tells runtimes which flow changed. The change is committed either way; a runtime that misses
   * the notice picks it up when its cached assignment expires, so a failure is logged, not raised.
   */
  private async announce(flowId: string): Promise<void> {
    await publish(this.api.bus, busChannels.flows, { flowId }).catch((error: unknown) =>
      this.api.logger.warn(
        { err: error, flowId },
        'could not announce a flow change; runtimes reload it shortly',
      ),
    );
  }

  async list(caller: Caller, search?: string) {
    return (await this.repository.list(this.api.db, caller.workspaceId, search)).map((flow) => ({
      id: flow.id,
      name: flow.name,
      publishedVersion: flow.publishedVersion,
      updatedAt: flow.updatedAt,
      servingNumbers: flow.servingNumbers,
    }));
  }

  async get(caller: Caller, flowId: string): Promise<FlowView> {
    return view(await this.stored(caller, flowId));
  }

  /** The flow as stored: its draft's header values encrypted. */
  private async stored(caller: Caller, flowId: string): Promise<FlowRecord> {
    const flow = await this.repository.get(this.api.db, caller.workspaceId, flowId);
    if (flow === null) throw new FlowNotFound();
    return flow;
  }

  /** The stored draft with its header values in clear, for validation (never sent to a client). */
  private opened(caller: Caller, flow: FlowRecord): unknown {
    return this.secrets.open(caller.workspaceId, flow.draft);
  }

  async create(caller: Caller, name: string, definition?: unknown): Promise<FlowView> {
    const draft = this.secrets.seal(caller.workspaceId, definition ?? blankFlow(name), null);
    return this.createStored(caller, name, draft);
  }

  /** Creates a flow whose draft is already in its stored form. */
  private async createStored(caller: Caller, name: string, draft: unknown): Promise<FlowView> {
    return this.api.db.transaction(async (tx) => {
      const id = await this.repository.create(tx, caller.workspaceId, name, draft, caller.userId);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'flow.create',
        entity: 'flow',
        entityId: id,
        after: { name },
      });
      return view((await this.repository.get(tx, caller.workspaceId, id)) as FlowRecord);
    });
  }

  /** Imports a Flow Document: it must be structurally valid; graph problems may be fixed in the editor. */
  async import(
    caller: Caller,
    document: unknown,
  ): Promise<FlowView & { warnings: { pointer: string; message: string }[] }> {
    const structural = structuralProblems(document);
    if (structural.length > 0)
      throw new Unprocessable('This file is not a valid Parley flow.', { errors: problemsView(structural) });
    const { errors, warnings } = validateFlow(document, await this.deployment(caller));
    const created = await this.create(caller, nameIn(document, 'Imported flow'), document);
    return { ...created, warnings: problemsView([...errors, ...warnings]) };
  }

  async saveDraft(
    caller: Caller,
    flowId: string,
    etag: string | undefined,
    definition: unknown,
  ): Promise<{ etag: string }> {
    if (etag === undefined)
      throw new PreconditionFailed(
        'Send the draft’s etag in If-Match so another editor’s save is not overwritten.',
      );
    return this.api.db.transaction(async (tx) => {
      const current = await this.repository.get(tx, caller.workspaceId, flowId);
      if (current === null) throw new FlowNotFound();
      const draft = this.secrets.seal(caller.workspaceId, definition, current.draft);
      const saved = await this.repository.saveDraft(
        tx,
        caller.workspaceId,
        flowId,
        etag.replaceAll('"', ''),
        draft,
        nameIn(definition, current.name),
      );
      if (saved === null) {
        throw new DraftConflict(
          'Someone else saved this flow in the meantime. Reload it to see their changes.',
          {
            currentEtag: (await this.repository.get(tx, caller.workspaceId, flowId))?.draftEtag ?? null,
          },
        );
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'flow.save_draft',
        entity: 'flow',
        entityId: flowId,
        before: { name: current.name, etag: current.draftEtag, checksum: checksumOf(current.draft) },
        after: { name: nameIn(definition, current.name), etag: saved, checksum: checksumOf(draft) },
      });
      return { etag: saved };
    });
  }

  async validate(caller: Caller, flowId: string) {
    const flow = await this.stored(caller, flowId);
    const { errors, warnings } = validateForPublish(this.opened(caller, flow), await this.deployment(caller));
    return { errors: problemsView(errors), warnings: problemsView(warnings) };
  }

  /**
   * Runs before a publish and throws to refuse it (the flow's conversation tests when they must
   * pass); returns whether it checked the draft, which must then be the one published.
   */
  private publishGate: ((caller: Caller, flowId: string) => Promise<boolean>) | null = null;

  gatePublishOn(gate: (caller: Caller, flowId: string) => Promise<boolean>): void {
    this.publishGate = gate;
  }

  /** The draft as a publishable document, or the refusal with its problems. */
  private async publishable(caller: Caller, flow: FlowRecord, db?: Queryable): Promise<FlowDocument> {
    const { errors, warnings, document } = validateForPublish(
      this.opened(caller, flow),
      await this.deployment(caller, db),
    );
    if (errors.length > 0 || document === undefined) {
      throw new Unprocessable('The flow has errors; fix them before publishing.', {
        errors: problemsView(errors),
        warnings: problemsView(warnings),
      });
    }
    return document;
  }

  async publish(caller: Caller, flowId: string): Promise<{ version: number }> {
    // The gate runs the draft through the runtime, which takes seconds: outside the transaction, on a
    // draft checked first, and the publish is refused if the draft changed meanwhile.
    const checked = await this.stored(caller, flowId);
    await this.publishable(caller, checked);
    const gated = this.publishGate !== null && (await this.publishGate(caller, flowId));
    const result = await this.api.db.transaction(async (tx) => {
      const flow = await this.repository.get(tx, caller.workspaceId, flowId, true);
      if (flow === null) throw new FlowNotFound();
      if (gated && flow.draftEtag !== checked.draftEtag)
        throw new Conflict(
          'The draft changed while its conversation tests ran; nothing was published. Publish again to test and publish the new draft.',
        );
      return this.publishDefinition(
        tx,
        caller,
        flowId,
        { stored: flow.draft, document: await this.publishable(caller, flow, tx) },
        'flow.publish',
        flow.publishedVersion,
      );
    });
    await this.announce(flowId);
    return result;
  }

  private async publishDefinition(
    tx: Parameters<FlowsRepository['publish']>[0],
    caller: Caller,
    flowId: string,
    // The version keeps the stored form (header values encrypted); the answers come from the document.
    definition: { stored: unknown; document: FlowDocument },
    action: string,
    previous: number | null,
  ): Promise<{ version: number }> {
    const { answersSchema } = deriveForm(definition.document);
    const published = await this.repository.publish(
      tx,
      caller.workspaceId,
      flowId,
      definition.stored,
      answersSchema,
      checksumOf(definition.stored),
      caller.userId,
    );
    await this.api.audit.record(tx, {
      workspaceId: caller.workspaceId,
      userId: caller.userId,
      action,
      entity: 'flow',
      entityId: flowId,
      before: { publishedVersion: previous },
      after: { version: published.version, checksum: checksumOf(definition.stored) },
    });
    return { version: published.version };
  }

  async versions(caller: Caller, flowId: string): Promise<VersionRecord[]> {
    await this.stored(caller, flowId);
    return this.repository.versions(this.api.db, flowId);
  }

  async version(caller: Caller, flowId: string, version: number) {
    const found = await this.storedVersion(caller, flowId, version);
    return { ...found, definition: maskHeaderValues(found.definition) };
  }

  private async storedVersion(caller: Caller, flowId: string, version: number) {
    await this.stored(caller, flowId);
    const found = await this.repository.version(this.api.db, flowId, version);
    if (found === null) throw new VersionNotFound(version);
    return found;
  }

  async diff(
    caller: Caller,
    flowId: string,
    from: number,
    to: number,
  ): Promise<{ from: number; to: number; changes: FlowChange[] }> {
    const [a, b] = await Promise.all([
      this.storedVersion(caller, flowId, from),
      this.storedVersion(caller, flowId, to),
    ]);
    // Compared in clear so a replaced value shows as changed; diffFlows never outputs header values.
    const open = (definition: unknown) => this.secrets.open(caller.workspaceId, definition) as FlowDocument;
    return { from, to, changes: diffFlows(open(a.definition), open(b.definition)) };
  }

  /** Publishes a copy of an earlier version as the newest one (and makes it the draft). */
  async rollback(
    caller: Caller,
    flowId: string,
    version: number,
    etag: string | undefined,
  ): Promise<{ version: number }> {
    const result = await this.api.db.transaction(async (tx) => {
      const flow = await this.repository.get(tx, caller.workspaceId, flowId, true);
      if (flow === null) throw new FlowNotFound();
      const target = await this.repository.version(tx, flowId, version);
      if (target === null) throw new VersionNotFound(version);
      if (etag === undefined)
        throw new PreconditionFailed(
          'Send the draft’s etag in If-Match: rolling back replaces the draft, and another editor’s save must not be lost.',
        );
      if (flow.draftEtag !== etag.replaceAll('"', '')) {
        throw new DraftConflict(
          'Someone else saved this flow in the meantime, and rolling back would replace their draft. Reload it, then roll back again.',
          { currentEtag: flow.draftEtag },
        );
      }
      await this.repository.replaceDraft(tx, flowId, target.definition);
      return this.publishDefinition(
        tx,
        caller,
        flowId,
        {
          stored: target.definition,
          document: this.secrets.open(caller.workspaceId, target.definition) as FlowDocument,
        },
        'flow.rollback',
        flow.publishedVersion,
      );
    });
    await this.announce(flowId);
    return result;
  }

  /** The draft as a file: header values left out (the marker stands in for them). */
  async exportDraft(caller: Caller, flowId: string): Promise<{ name: string; definition: unknown }> {
    const flow = await this.get(caller, flowId);
    return { name: flow.name, definition: flow.draft.definition };
  }

  /** The copy keeps the saved header values (same workspace, so the same key opens them). */
  async duplicate(caller: Caller, flowId: string): Promise<FlowView> {
    const flow = await this.stored(caller, flowId);
    const name = `Copy of ${flow.name}`.slice(0, 200);
    const definition = flow.draft;
    const renamed =
      definition !== null && typeof definition === 'object' ? { ...definition, name } : definition;
    return this.createStored(caller, name, renamed);
  }

  /**
   * Soft-deletes a flow: its versions, conversations, responses and exports stay, and it can be
   * restored. A flow numbers answer with is only deleted with `confirmed`: otherwise a 409 names
   * the numbers that would go silent.
   */
  async remove(caller: Caller, flowId: string, confirmed: boolean): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      const flow = await this.repository.get(tx, caller.workspaceId, flowId, true);
      if (flow === null) throw new FlowNotFound();
      const numbers = await this.repository.servingNumbers(tx, caller.workspaceId, flowId);
      if (numbers.length > 0 && !confirmed) {
        throw new Conflict(
          `Deleting this flow silences ${numbers.map(numberName).join(', ')}: ${numbers.length === 1 ? 'that number stops' : 'those numbers stop'} answering until you assign another flow. Confirm to delete it anyway.`,
          { numbers: numbers.map((number) => ({ ...number, display: numberName(number) })) },
        );
      }
      await this.repository.softDelete(tx, caller.workspaceId, flowId);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'flow.delete',
        entity: 'flow',
        entityId: flowId,
        before: { name: flow.name, numbers: numbers.map((number) => number.id) },
      });
    });
    await this.announce(flowId);
  }

  async listDeleted(caller: Caller) {
    return (await this.repository.listDeleted(this.api.db, caller.workspaceId)).map((flow) => ({
      id: flow.id,
      name: flow.name,
      publishedVersion: flow.publishedVersion,
      updatedAt: flow.updatedAt,
      deletedAt: flow.deletedAt,
    }));
  }

  /** Brings a deleted flow back, unassigned: numbers it served were given no flow when it was deleted. */
  async restore(caller: Caller, flowId: string): Promise<FlowView> {
    return this.api.db.transaction(async (tx) => {
      const deletedAt = await this.repository.restore(tx, caller.workspaceId, flowId);
      if (deletedAt === null) {
        if ((await this.repository.get(tx, caller.workspaceId, flowId)) !== null)
          throw new Conflict('This flow is not deleted.');
        throw new NotFound('Deleted flow');
      }
      const restored = (await this.repository.get(tx, caller.workspaceId, flowId)) as FlowRecord;
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'flow.restore',
        entity: 'flow',
        entityId: flowId,
        before: { deletedAt },
        after: { name: restored.name, deletedAt: null },
      });
      return view(restored);
    });
  }

  /**
   * Encrypts header values stored in clear by earlier releases, or under the previous key after a
   * rotation, in drafts and versions alike (a version keeps the same values, only encrypted). A
   * migration cannot do it: it has no key. Runs when an API process starts; returns how many
   * definitions it rewrote.
   */
  async encryptStaleHeaders(): Promise<number> {
    let rewritten = 0;
    for (const stored of await this.repository.definitionsWithHeaders(this.api.db)) {
      const sealed = this.secrets.sealStale(stored.workspaceId, stored.definition);
      if (sealed === null) continue;
      await this.repository.rewriteDefinition(this.api.db, stored, sealed);
      rewritten += 1;
    }
    return rewritten;
  }

  /** A snapshot of the draft (or a chosen version) for a simulator session; returns its version row id. */
  async runnableVersion(caller: Caller, flowId: string, version: number | 'draft'): Promise<string> {
    if (version !== 'draft') return (await this.storedVersion(caller, flowId, version)).id;
    const flow = await this.stored(caller, flowId);
    const { errors } = validateFlow(this.opened(caller, flow));
    if (errors.length > 0)
      throw new Unprocessable('The draft has errors; fix them to test it.', { errors: problemsView(errors) });
    return this.repository.snapshotDraft(
      this.api.db,
      caller.workspaceId,
      flowId,
      flow.draft,
      checksumOf(flow.draft),
      caller.userId,
    );
  }
}
