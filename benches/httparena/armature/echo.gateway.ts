import { WebSocketGateway, type OnGatewayMessage, type WebSocketData, type WebSocketPeer } from '@armature/websocket';

/**
 * echo-ws: every message back as it came, text as text and binary as binary. The gateway has no
 * @SubscribeMessage events, so every message, JSON or not, reaches handleMessage.
 */
@WebSocketGateway('/ws')
export class EchoGateway implements OnGatewayMessage {
  handleMessage(peer: WebSocketPeer, data: WebSocketData): void {
    peer.send(data);
  }
}
