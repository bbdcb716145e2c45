export { INBOX_ACTIVITY_KINDS } from '@parley/contract';
export { BUS_MESSAGE_LIMIT, type Bus } from './bus.js';
export {
  type BusChannel,
  busChannels,
  type ConnectionState,
  ConnectionStateSchema,
  type InboxActivity,
  type PayloadOf,
  type SessionCommand,
  type SessionUpdate,
  type SimulatorDelivery,
  type SimulatorInbound,
  type SimulatorReceipt,
  type SimulatorTurn,
} from './channels.js';
export { type ConnectedBus, connectBus, connectRedis } from './connect-bus.js';
export { MemoryBus } from './memory-bus.js';
export { PgBus } from './pg-bus.js';
export { RedisBus } from './redis-bus.js';
export { type MalformedMessageLogger, publish, subscribe } from './typed-bus.js';
