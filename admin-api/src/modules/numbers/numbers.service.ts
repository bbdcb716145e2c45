import {
  type BusChannel,
  busChannels,
  type PayloadOf,
  publish,
  type SessionUpdate,
  subscribe,
} from '@parley/bus';
import {
  Conflict,
  Invalid,
  isLiveSession,
  NumberNotFound,
  type SessionReason,
  Unprocessable,
} from '@parley/contract';
import { isE164Phone } from '@parley/schemas';
import type { ApiContext } from '../../api-context.js';
import type { Caller } from '../../http/route.js';
import type { EventStream } from '../../http/sse.js';
import type { NumberRecord, NumbersRepository, SessionEventRecord } from './numbers.repository.js';

export type ConnectMethod = 'qr' | 'pairing_code';

/** What `GET /numbers/{id}/events` sends: the runtime's session messages, and the state it starts from. */
export interface SessionStateEvent {
  state: string;
  reason?: SessionReason | null;
  qr?: string;
  pairingCode?: string;
  detail?: unknown;
  at: string | number;
}

/** A session message from the bus, kept to the fields clients are promised. */
function sessionEventOf(update: SessionUpdate): SessionStateEvent {
  return {
    state: update.state,
    ...(update.qr === undefined ? {} : { qr: update.qr }),
    ...(update.pairingCode === undefined ? {} : { pairingCode: update.pairingCode }),
    ...(update.reason === undefined ? {} : { reason: update.reason }),
    ...(update.detail === undefined ? {} : { detail: update.detail }),
    at: update.at,
  };
}

/** The state a stream starts from: the number's state, with the QR or code of the latest event when it is still current. */
function initialEvent(number: NumberRecord, latest: SessionEventRecord | null): SessionStateEvent {
  if (latest === null) return { state: number.state, reason: number.reason, at: number.updatedAt };
  const current = latest.state === number.state;
  const { qr, pairingCode, reason: _, ...rest } = latest.detail;
  return {
    state: number.state,
    reason: number.reason,
    ...(current && typeof qr === 'string' ? { qr } : {}),
    ...(current && typeof pairingCode === 'string' ? { pairingCode } : {}),
    detail: { lastEvent: latest.state, ...rest },
    at: latest.at,
  };
}

/** WhatsApp numbers: registration, the flow answering on each, session commands and live session state. */
export class NumbersService {
  constructor(
    private readonly api: ApiContext,
    private readonly repository: NumbersRepository,
  ) {}

  list(caller: Caller): Promise<NumberRecord[]> {
    return this.repository.list(this.api.db, caller.workspaceId);
  }

  async get(caller: Caller, numberId: string): Promise<NumberRecord> {
    const number = await this.repository.get(this.api.db, caller.workspaceId, numberId);
    if (number === null) throw new NumberNotFound();
    return number;
  }

  async create(caller: Caller, phone: string, label: string | undefined): Promise<NumberRecord> {
    if (!isE164Phone(phone)) {
      throw new Invalid('The phone number must be in international format, like +14155550123.', [
        {
          pointer: '/body/phone',
          message: 'Must be a valid phone number in E.164 format (+ and country code).',
        },
      ]);
    }
    return this.api.db.transaction(async (tx) => {
      const id = await this.repository.create(tx, caller.workspaceId, phone, label ?? null);
      if (id === null) throw new Conflict(`The number ${phone} is already registered in this workspace.`);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.create',
        entity: 'number',
        entityId: id,
        after: { phone, label: label ?? null },
      });
      return (await this.repository.get(tx, caller.workspaceId, id)) as NumberRecord;
    });
  }

  async update(
    caller: Caller,
    numberId: string,
    changes: { label?: string | null; settings?: Record<string, unknown> },
  ): Promise<NumberRecord> {
    return this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (before === null) throw new NumberNotFound();
      await this.repository.update(tx, caller.workspaceId, numberId, changes);
      const after = (await this.repository.get(tx, caller.workspaceId, numberId)) as NumberRecord;
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.update',
        entity: 'number',
        entityId: numberId,
        before: { label: before.label, settings: before.settings },
        after: { label: after.label, settings: after.settings },
      });
      return after;
    });
  }

  /**
   * Deletes a number, with its conversations and messages. Refused while it is connected or a
   * connection was asked for: log it out first, so no runtime keeps a session for a deleted number.
   */
  async remove(caller: Caller, numberId: string): Promise<void> {
    await this.api.db.transaction(async (tx) => {
      const number = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (number === null) throw new NumberNotFound();
      if (number.desiredConnected || isLiveSession(number.state)) {
        throw new Conflict('This number is connected (or connecting). Log it out before deleting it.', {
          state: number.state,
          desiredConnected: number.desiredConnected,
        });
      }
      await this.repository.remove(tx, caller.workspaceId, numberId);
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.delete',
        entity: 'number',
        entityId: numberId,
        before: { phone: number.phone, label: number.label, flowId: number.flow?.id ?? null },
      });
    });
    await this.publish(busChannels.flows, { numberId });
  }

  /** Asks a runtime to start the number's WhatsApp session (QR or pairing code). */
  async connect(
    caller: Caller,
    numberId: string,
    options: { method?: ConnectMethod; phone?: string },
  ): Promise<NumberRecord> {
    if (options.phone !== undefined && !isE164Phone(options.phone)) {
      throw new Invalid('The phone number must be in international format, like +14155550123.', [
        {
          pointer: '/body/phone',
          message: 'Must be a valid phone number in E.164 format (+ and country code).',
        },
      ]);
    }
    const number = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (found === null) throw new NumberNotFound();
      await this.repository.setDesiredConnected(tx, caller.workspaceId, numberId, true);
      await this.repository.recordSessionEvent(tx, caller.workspaceId, numberId, 'connect_requested', {
        userId: caller.userId,
        ...(options.method === undefined ? {} : { method: options.method }),
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.connect',
        entity: 'number',
        entityId: numberId,
        before: { desiredConnected: found.desiredConnected, state: found.state },
        after: {
          desiredConnected: true,
          ...(options.method === undefined ? {} : { method: options.method }),
        },
      });
      return (await this.repository.get(tx, caller.workspaceId, numberId)) as NumberRecord;
    });
    const phone = options.phone ?? (options.method === 'pairing_code' ? number.phone : undefined);
    await this.publish(busChannels.sessionCommands, {
      numberId,
      command: 'connect',
      ...(options.method === undefined ? {} : { method: options.method }),
      ...(phone === undefined ? {} : { phone }),
    });
    return number;
  }

  /**
   * Stops connecting the number: no runtime tries any more, and the one driving it closes its
   * browser. Unlike a logout, a saved login is kept (Connect uses it again).
   */
  async cancel(caller: Caller, numberId: string): Promise<NumberRecord> {
    const number = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (found === null) throw new NumberNotFound();
      await this.repository.setDesiredConnected(tx, caller.workspaceId, numberId, false);
      await this.repository.recordSessionEvent(tx, caller.workspaceId, numberId, 'cancel_requested', {
        userId: caller.userId,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.cancel',
        entity: 'number',
        entityId: numberId,
        before: { desiredConnected: found.desiredConnected, state: found.state },
        after: { desiredConnected: false },
      });
      return (await this.repository.get(tx, caller.workspaceId, numberId)) as NumberRecord;
    });
    await this.publish(busChannels.sessionCommands, { numberId, command: 'cancel' });
    return number;
  }

  /** Asks the runtime driving the number to log out of WhatsApp (a new QR is needed afterwards). */
  async logout(caller: Caller, numberId: string): Promise<NumberRecord> {
    const number = await this.api.db.transaction(async (tx) => {
      const found = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (found === null) throw new NumberNotFound();
      await this.repository.setDesiredConnected(tx, caller.workspaceId, numberId, false);
      await this.repository.recordSessionEvent(tx, caller.workspaceId, numberId, 'logout_requested', {
        userId: caller.userId,
      });
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.logout',
        entity: 'number',
        entityId: numberId,
        before: { desiredConnected: found.desiredConnected, state: found.state },
        after: { desiredConnected: false },
      });
      return (await this.repository.get(tx, caller.workspaceId, numberId)) as NumberRecord;
    });
    await this.publish(busChannels.sessionCommands, { numberId, command: 'logout' });
    return number;
  }

  /** Sets which flow answers on the number (its published version), or none with `null`. */
  async assignFlow(caller: Caller, numberId: string, flowId: string | null): Promise<NumberRecord> {
    const number = await this.api.db.transaction(async (tx) => {
      const before = await this.repository.get(tx, caller.workspaceId, numberId, true);
      if (before === null) throw new NumberNotFound();
      if (flowId === null) {
        await this.repository.unassignFlow(tx, caller.workspaceId, numberId);
      } else {
        const flow = await this.repository.assignableFlow(tx, caller.workspaceId, flowId);
        if (flow === null) {
          throw new Unprocessable('There is no such flow in this workspace.', {
            errors: [{ pointer: '/body/flowId', message: 'No flow with this id in this workspace.' }],
          });
        }
        if (flow.publishedVersion === null) {
          throw new Unprocessable(`Publish “${flow.name}” before assigning it to a number.`, {
            errors: [{ pointer: '/body/flowId', message: 'This flow has no published version.' }],
          });
        }
        await this.repository.assignFlow(tx, caller.workspaceId, numberId, flowId);
      }
      await this.api.audit.record(tx, {
        workspaceId: caller.workspaceId,
        userId: caller.userId,
        action: 'number.assign_flow',
        entity: 'number',
        entityId: numberId,
        before: { flowId: before.flow?.id ?? null },
        after: { flowId },
      });
      return (await this.repository.get(tx, caller.workspaceId, numberId)) as NumberRecord;
    });
    await this.publish(busChannels.flows, { numberId, flowId });
    return number;
  }

  /**
   * Streams the number's session state: first its current state, then every change the runtime
   * publishes. Subscribes before reading the current state so no change falls in between.
   * Throws (before anything is written) when the number is not the caller's.
   */
  async streamSession(caller: Caller, numberId: string, open: () => EventStream): Promise<void> {
    let stream: EventStream | null = null;
    const early: SessionStateEvent[] = [];
    const unsubscribe = await subscribe(
      this.api.bus,
      busChannels.session(numberId),
      (update) => {
        const event = sessionEventOf(update);
        if (stream === null) early.push(event);
        else stream.send('state', event);
      },
      this.api.logger,
    );
    try {
      const [number, latest] = await Promise.all([
        this.repository.get(this.api.db, caller.workspaceId, numberId),
        this.repository.latestSessionEvent(this.api.db, caller.workspaceId, numberId),
      ]);
      if (number === null) throw new NumberNotFound();
      const opened = open();
      opened.onClose(() => {
        // The stream is closed either way; a failed unsubscribe only leaves a handler with no listener.
        void unsubscribe().catch(() => undefined);
      });
      opened.send('state', initialEvent(number, latest));
      for (const event of early.splice(0)) opened.send('state', event);
      stream = opened;
    } catch (error) {
      // The original error is what the caller must see; the unsubscribe is best effort.
      await unsubscribe().catch(() => undefined);
      throw error;
    }
  }

  /** Bus messages are notifications: runtimes also read the database, so a lost one is logged, not fatal. */
  private async publish<C extends BusChannel>(channel: C, message: PayloadOf<C>): Promise<void> {
    await publish(this.api.bus, channel, message).catch((error: unknown) => {
      this.api.logger.warn({ err: error, channel: channel.name }, 'could not publish on the bus');
    });
  }
}
