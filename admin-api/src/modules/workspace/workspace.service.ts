import {
  Conflict,
  Invalid,
  type Membership,
  NotFound,
  WORKSPACE_NAME_MAX,
  WORKSPACES_PER_CREATOR,
} from '@parley/contract';
import type { Queryable } from '@parley/db';
import { type BusinessHours, businessHoursProblems, WEEKDAYS } from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller, SignedInUser } from '../../http/route.js';
import type { FlowsRepository } from '../flows/flows.repository.js';
import { SAMPLE_FLOW_NAME, sampleFlow } from '../flows/sample-flow.js';
import type { SigningSecrets } from './signing-secrets.js';
import type { WorkspaceRecord, WorkspaceRepository } from './workspace.repository.js';

/** A workspace name without the spaces around it; refused in plain words when empty or too long. */
export function workspaceName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new Invalid('Give the workspace a name.', [
      { pointer: '/body/name', message: 'Must not be empty or only spaces.' },
    ]);
  }
  const length = Array.from(trimmed).length;
  if (length > WORKSPACE_NAME_MAX) {
    throw new Invalid(
      `A workspace name can be at most ${WORKSPACE_NAME_MAX} characters; this one has ${length}. Shorten it.`,
      [{ pointer: '/body/name', message: `Must be at most ${WORKSPACE_NAME_MAX} characters.` }],
    );
  }
  return trimmed;
}

/**
 * A new workspace as every workspace starts: its admin and the sample draft flow to open and try,
 * in the caller's transaction (the first one at install, and each one a person creates).
 */
export async function startWorkspace(
  tx: Queryable,
  workspaces: WorkspaceRepository,
  flows: FlowsRepository,
  name: string,
  admin: string,
  createdBy: string | null,
): Promise<string> {
  const workspaceId = await workspaces.create(tx, name, createdBy);
  await workspaces.addMember(tx, workspaceId, admin, 'admin');
  await flows.create(tx, workspaceId, SAMPLE_FLOW_NAME, sampleFlow(), admin);
  return workspaceId;
}

/** Creating workspaces, renaming them and their settings. */
export class WorkspaceService {
  constructor(
    private readonly api: ApiContext,
    private readonly workspaces: WorkspaceRepository,
    private readonly flows: FlowsRepository,
    private readonly signingSecrets: SigningSecrets,
  ) {}

  async get(workspaceId: string): Promise<WorkspaceRecord> {
    const workspace = await this.workspaces.get(this.api.db, workspaceId);
    if (workspace === null) throw new NotFound('Workspace');
    return workspace;
  }

  /**
   * Any signed-in person may create a workspace: they become its admin, and it starts like the
   * first one. A person may create at most WORKSPACES_PER_CREATOR, so an account cannot be used to
   * fill the database.
   */
  async create(user: SignedInUser, requestedName: string): Promise<Membership> {
    const name = workspaceName(requestedName);
    const workspaceId = await this.api.db.transaction(async (tx) => {
      await this.workspaces.lockCreator(tx, user.userId);
      if ((await this.workspaces.countCreatedBy(tx, user.userId)) >= WORKSPACES_PER_CREATOR) {
        throw new Conflict(
          `You have already created ${WORKSPACES_PER_CREATOR} workspaces, the most one person may. Rename one you no longer use instead.`,
          undefined,
          'workspace_limit',
        );
      }
      const id = await startWorkspace(tx, this.workspaces, this.flows, name, user.userId, user.userId);
      await this.api.audit.record(tx, {
        workspaceId: id,
        userId: user.userId,
        action: 'workspace.create',
        entity: 'workspace',
        entityId: id,
        after: { name },
      });
      return id;
    });
    // Their memberships changed: every API process reads them again.
    await this.api.auth.accessChanged(user.userId);
    return { workspaceId, workspaceName: name, role: 'admin' };
  }

  /**
   * Sets when people answer hand-offs (null: always open), refused in words when the hours cannot
   * work; kept without empty days and with the closed-hours text trimmed (blank: the default).
   */
  async setBusinessHours(caller: Caller, hours: BusinessHours | null): Promise<WorkspaceRecord> {
    const kept = hours === null ? null : tidyHours(hours);
    if (kept !== null) {
      const problems = businessHoursProblems(kept);
      if (problems.length > 0)
        throw new Invalid(
          problems.map((problem) => problem.message).join(' '),
          problems.map((problem) => ({
            pointer: `/body/businessHours${problem.pointer}`,
            message: problem.message,
          })),
        );
    }
    await this.api.db.transaction(async (tx) => {
      const before = await this.workspaces.get(tx, caller.workspaceId);
      await this.workspaces.setBusinessHours(tx, caller.workspaceId, kept);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'workspace.business_hours',
        entity: 'workspace',
        entityId: caller.workspaceId,
        before: { businessHours: before?.businessHours ?? null },
        after: { businessHours: kept },
      });
    });
    return this.get(caller.workspaceId);
  }

  /** Renames the workspace or sets its signing secret (null removes it); audited without the secret. */
  async update(
    caller: Caller,
    changes: { name?: string; signingSecret?: string | null },
  ): Promise<WorkspaceRecord> {
    const name = changes.name === undefined ? undefined : workspaceName(changes.name);
    await this.api.db.transaction(async (tx) => {
      const before = await this.workspaces.get(tx, caller.workspaceId);
      await this.workspaces.update(tx, caller.workspaceId, {
        ...(name === undefined ? {} : { name }),
        ...(changes.signingSecret === undefined
          ? {}
          : {
              signingSecret:
                changes.signingSecret === null
                  ? null
                  : this.signingSecrets.seal(caller.workspaceId, changes.signingSecret),
            }),
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'workspace.update',
        entity: 'workspace',
        entityId: caller.workspaceId,
        // The secret itself never goes to the audit log.
        before: { name: before?.name, hasSigningSecret: before?.hasSigningSecret },
        after: {
          name: name ?? before?.name,
          hasSigningSecret:
            changes.signingSecret === undefined ? before?.hasSigningSecret : changes.signingSecret !== null,
        },
      });
    });
    return this.get(caller.workspaceId);
  }
}

function tidyHours(hours: BusinessHours): BusinessHours {
  const closedText = hours.closedText?.trim() ?? '';
  return {
    timeZone: hours.timeZone.trim(),
    days: Object.fromEntries(
      WEEKDAYS.flatMap((day) => {
        const spans = hours.days[day] ?? [];
        return spans.length === 0 ? [] : [[day, spans]];
      }),
    ),
    ...(closedText === '' ? {} : { closedText }),
  };
}
