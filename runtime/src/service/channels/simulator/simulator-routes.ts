import { randomUUID } from 'node:crypto';
import { type Bus, busChannels, subscribe } from '@parley/bus';
import { Conflict, Invalid, NumberNotFound } from '@parley/contract';
import { type Db, isUuid } from '@parley/db';
import { createAjv } from '@parley/schemas';
import { type Static, Type } from '@sinclair/typebox';
import { type Request, type Response, Router } from 'express';
import type { Logger } from '../../ops/logger.js';
import { requireToken } from '../../ops/ops-tokens.js';
import type { ConversationRepository } from '../../repositories/conversation-repository.js';
import type { NumberInfo } from '../../repositories/flow-repository.js';
import type { ChannelHost } from '../channel.js';
import type { SentLog } from './sent-log.js';

const InboundBody = Type.Object(
  {
    contact: Type.String({ minLength: 1, maxLength: 64 }),
    contactName: Type.Optional(Type.String({ maxLength: 200 })),
    id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    text: Type.Optional(Type.String({ maxLength: 4096 })),
    media: Type.Optional(
      Type.Object({
        url: Type.String({ maxLength: 2048 }),
        mimeType: Type.String({ maxLength: 200 }),
        name: Type.Optional(Type.String({ maxLength: 200 })),
        size: Type.Integer({ minimum: 0 }),
      }),
    ),
    location: Type.Optional(
      Type.Object({
        lat: Type.Number({ minimum: -90, maximum: 90 }),
        lng: Type.Number({ minimum: -180, maximum: 180 }),
        name: Type.Optional(Type.String({ maxLength: 200 })),
      }),
    ),
    choiceIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 })),
  },
  { additionalProperties: false },
);
type InboundBody = Static<typeof InboundBody>;

const validateInbound = createAjv().compile<InboundBody>(InboundBody);
interface SimulatorRouteDeps {
  host: ChannelHost;
  bus: Bus;
  db: Db;
  conversations: ConversationRepository;
  sentLog: SentLog;
  logger: Logger;
  /** The runtime's own view of a number (the one it sends by), so both agree on its channel. */
  numberInfo: (numberId: string) => Promise<NumberInfo | null>;
  internalToken: string | undefined;
}

/**
 * The request's number, which must be a simulator number: injecting on a WhatsApp number would make
 * a real phone line write to whoever the caller names.
 */
async function simulatorNumberOf(deps: SimulatorRouteDeps, request: Request): Promise<string> {
  const numberId = String(request.params.numberId);
  if (!isUuid(numberId)) throw new NumberNotFound();
  const info = await deps.numberInfo(numberId);
  if (info === null) throw new NumberNotFound();
  if (info.channel !== 'simulator') {
    throw new Conflict(
      'This is a WhatsApp number: the simulator only talks to simulator numbers.',
      undefined,
      'not_a_simulator_number',
    );
  }
  return numberId;
}

/**
 * The simulator channel over HTTP: post a contact's message, stream the bot's replies (SSE), read
 * a transcript. Internal: for tests and tools on the runtime's own port, always behind the internal
 * token (the admin UI's live test goes through the API and the bus instead).
 */
export function simulatorRoutes(deps: SimulatorRouteDeps): Router {
  const router = Router();
  router.use(
    '/simulator',
    requireToken([deps.internalToken], 'PARLEY_INTERNAL_TOKEN', 'The simulator endpoints'),
  );

  router.post('/simulator/numbers/:numberId/messages', async (request: Request, response: Response) => {
    const numberId = await simulatorNumberOf(deps, request);
    if (!validateInbound(request.body)) {
      throw new Invalid('The message is not valid', validateInbound.errors);
    }
    const body = request.body;
    if (
      body.text === undefined &&
      body.media === undefined &&
      body.location === undefined &&
      body.choiceIds === undefined
    ) {
      throw new Invalid('A message needs text, media, a location or choiceIds');
    }
    const id = body.id ?? `sim-in-${randomUUID()}`;
    const result = await deps.host.receive({
      numberId,
      contact: body.contact,
      id,
      sentAt: Date.now(),
      ...(body.contactName === undefined ? {} : { contactName: body.contactName }),
      ...(body.text === undefined ? {} : { text: body.text }),
      ...(body.media === undefined ? {} : { media: body.media }),
      ...(body.location === undefined ? {} : { location: body.location }),
      ...(body.choiceIds === undefined ? {} : { choiceIds: body.choiceIds }),
    });
    response.status(202).json({ id, status: result });
  });

  router.get('/simulator/numbers/:numberId/stream', async (request: Request, response: Response) => {
    const numberId = await simulatorNumberOf(deps, request);
    const contact = typeof request.query.contact === 'string' ? request.query.contact : undefined;
    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    const unsubscribe = await subscribe(
      deps.bus,
      busChannels.simulator(numberId),
      (message) => {
        if (contact !== undefined && message.contact !== contact) return;
        response.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
      },
      deps.logger,
    );
    const heartbeat = setInterval(() => response.write(': ping\n\n'), 15_000);
    request.on('close', () => {
      clearInterval(heartbeat);
      void unsubscribe();
    });
  });

  router.get(
    '/simulator/numbers/:numberId/contacts/:contact/messages',
    async (request: Request, response: Response) => {
      const numberId = await simulatorNumberOf(deps, request);
      const messages = await deps.conversations.transcript(deps.db, numberId, String(request.params.contact));
      response.json({ messages });
    },
  );

  router.get('/simulator/numbers/:numberId/deliveries', async (request: Request, response: Response) => {
    const numberId = await simulatorNumberOf(deps, request);
    response.json({ deliveries: await deps.sentLog.deliveries(numberId) });
  });

  return router;
}
