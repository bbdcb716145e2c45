export type {
  Channel,
  ChannelHost,
  DeliveryStatus,
  InboundMessage,
  OutboundEnvelope,
} from './channels/channel.js';
export { ChannelSendError } from './channels/channel.js';
export { simulatorChannelName } from './channels/simulator/simulator-channel.js';
export { type RuntimeConfig, runtimeConfigFromEnv } from './config.js';
export { FLOWS_CHANNEL, INBOUND_CHANNEL } from './processing/flow-directory.js';
export { RuntimeService, type RuntimeServiceOptions } from './runtime-service.js';
