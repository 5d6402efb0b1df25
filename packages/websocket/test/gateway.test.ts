// Gateways in a DI app: the handshake runs the class's guards and interceptors and module
// middleware; the gateway is created and injected by the container; messages of the event
// protocol reach their @SubscribeMessage method, whose result is sent back; lifecycle methods;
// errors as `exception` events; shutdown through Armature.close() with 1001.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { WebSocket } from 'ws';
import {
  Armature, BadRequestException, Injectable, Module, UseGuards, UseInterceptors, inject,
  type CallHandler, type CanActivate, type Context, type Interceptor,
} from '@armature/core';
import {
  SubscribeMessage, WebSocketGateway, WebSocketHub, WebSocketModule,
  type OnGatewayConnection, type OnGatewayDisconnect, type WebSocketPeer, type WsResponse,
} from '@armature/websocket';

@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

class TokenGuard implements CanActivate {
  canActivate(ctx: Context): boolean {
    return ctx.query.token === 'secret';
  }
}

const intercepted: string[] = [];
class Audit implements Interceptor {
  intercept(ctx: Context, next: CallHandler): unknown {
    intercepted.push(ctx.path);
    return next();
  }
}

const events: string[] = [];
const hubErrors: unknown[] = [];

@WebSocketGateway('/chat')
@UseGuards(TokenGuard)
@UseInterceptors(Audit)
class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly greeter = inject(Greeter);
  private readonly hub = inject(WebSocketHub);

  handleConnection(peer: WebSocketPeer): void {
    events.push(`connect ${String(peer.ctx.query.name)}`);
    peer.join('chat');
  }

  handleDisconnect(peer: WebSocketPeer, code: number): void {
    events.push(`disconnect ${String(peer.ctx.query.name)} ${code}`);
  }

  @SubscribeMessage('greet')
  greet(_peer: WebSocketPeer, data: { name: string }): WsResponse<string> {
    return { event: 'greeting', data: this.greeter.greet(data.name) };
  }

  @SubscribeMessage('say')
  async say(peer: WebSocketPeer, text: string): Promise<void> {
    await Promise.resolve();
    peer.to('chat').json({ event: 'said', data: text });
  }

  @SubscribeMessage('count')
  count(): number {
    return this.hub.connections;
  }

  @SubscribeMessage('bad')
  bad(): never {
    throw new BadRequestException('That is not allowed');
  }

  @SubscribeMessage('crash')
  crash(): never {
    throw new Error('secret internals');
  }
}

@Module({ imports: [WebSocketModule.forRoot({ pingInterval: 0, onError: (e) => hubErrors.push(e) })], providers: [Greeter], controllers: [ChatGateway] })
class AppModule {}

function next(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (d: Buffer) => resolve(JSON.parse(d.toString()))));
}

test('a gateway: guarded handshake, DI, events, answers, rooms, lifecycle, exceptions, shutdown', async () => {
  const errors: unknown[] = [];
  const armature = await Armature.create(AppModule, { shutdownHooks: false, onError: (e) => errors.push(e) });
  const { port } = await armature.listen({ port: 0 });
  const url = `ws://127.0.0.1:${port}/chat`;

  const denied = new WebSocket(`${url}?token=wrong`);
  denied.on('error', () => {});
  const [, res] = (await once(denied, 'unexpected-response')) as [unknown, { statusCode: number }];
  assert.equal(res.statusCode, 403, 'the class guard denies the handshake');

  const ada = new WebSocket(`${url}?token=secret&name=ada`);
  await once(ada, 'open');
  const bob = new WebSocket(`${url}?token=secret&name=bob`);
  await once(bob, 'open');
  assert.deepEqual(intercepted, ['/chat', '/chat'], 'the class interceptor ran on each accepted handshake');

  let reply = next(ada);
  ada.send(JSON.stringify({ event: 'greet', data: { name: 'Ada' } }));
  assert.deepEqual(await reply, { event: 'greeting', data: 'hello Ada' });

  reply = next(bob);
  ada.send(JSON.stringify({ event: 'say', data: 'hi all' }));
  assert.deepEqual(await reply, { event: 'said', data: 'hi all' });

  reply = next(ada);
  ada.send(JSON.stringify({ event: 'count' }));
  assert.equal(await reply, 2);

  reply = next(ada);
  ada.send(JSON.stringify({ event: 'bad' }));
  assert.deepEqual(await reply, { event: 'exception', data: { status: 400, message: 'That is not allowed' } });

  reply = next(ada);
  ada.send(JSON.stringify({ event: 'crash' }));
  assert.deepEqual(await reply, { event: 'exception', data: { status: 500, message: 'Internal server error' } });
  assert.equal(errors.length, 0, 'the app reporter is not the hub\'s');
  assert.equal((hubErrors[0] as Error).message, 'secret internals', 'the unexpected error is reported, not sent');

  // not the event protocol, or an unknown event: ignored, the connection stays
  ada.send('plain text');
  ada.send(JSON.stringify({ event: 'nobody' }));
  reply = next(ada);
  ada.send(JSON.stringify({ event: 'count' }));
  assert.equal(await reply, 2);

  const closes = [once(ada, 'close'), once(bob, 'close')];
  await armature.close();
  const codes = (await Promise.all(closes)).map(([code]) => code as number);
  assert.deepEqual(codes, [1001, 1001]);
  assert.deepEqual(events.slice(0, 2), ['connect ada', 'connect bob']);
  assert.deepEqual(events.slice(2).sort(), ['disconnect ada 1001', 'disconnect bob 1001']);
});

test('@WebSocketGateway takes a path; @SubscribeMessage goes on a method', () => {
  assert.throws(() => WebSocketGateway(8080 as never), /takes a path/);
  assert.throws(() => SubscribeMessage(''), /needs an event name/);
});
