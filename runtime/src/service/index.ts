export type {
  Channel,
  ChannelHost,
  DeliveryStatus,
  InboundMessage,
  OutboundEnvelope,
} from './channels/channel.js';
export { ChannelSendError } from './channels/channel.js';
export { type RuntimeConfig, runtimeConfigFromEnv } from './config.js';
export { errorHandler } from './ops/http-server.js';
export { RuntimeService, type RuntimeServiceOptions } from './runtime-service.js';
