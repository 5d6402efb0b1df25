/**
 * `@armature/websocket`: WebSocket endpoints on Armature's engine (framing by `ws`), rooms and
 * broadcast within a process and across processes (Redis), limits, heartbeat, graceful shutdown.
 */
import './app-ws.js'; // app.ws(path, handlers)
export { websocket, WebSocketHub, type WebSocketHandlers, type WebSocketStats, type HubCloseOptions } from './hub.js';
export { WebSocketPeer, type WebSocketData, type RoomSender } from './peer.js';
export { type WebSocketOptions, type SlowConsumerPolicy } from './options.js';
export { checkHandshake, type OriginPolicy } from './handshake.js';
export type { Broadcaster, RoomMessage } from './broadcaster.js';
export { RedisBroadcaster, type RedisBroadcasterOptions, type RedisPubSubClient } from './redis-broadcaster.js';
export {
  WebSocketGateway, SubscribeMessage,
  type GatewayOptions, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayMessage, type WsResponse,
} from './gateway.js';
export { WebSocketModule } from './module.js';
