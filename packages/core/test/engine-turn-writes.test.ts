// The answers to one event-loop turn's input leave together: each connection writes what the
// turn's requests produced at the end of the turn (one write per connection, as before), so a
// client is woken once per turn rather than once per answer. Over fake sockets, so that two
// connections' input lands in the same turn for sure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { EngineServer } from '../src/engine/server.js';
import { Connection } from '../src/engine/connection.js';
import { createApp } from '../src/index.js';

class FakeSocket extends EventEmitter {
  writes: string[] = [];
  writableLength = 0;
  writableEnded = false;
  remoteAddress = '127.0.0.1';
  setNoDelay(): void {}
  cork(): void {}
  uncork(): void {}
  pause(): void {}
  resume(): void {}
  isPaused(): boolean {
    return false;
  }
  write(data: string | Buffer): boolean {
    this.writes.push(String(data));
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  destroy(): void {}
}

const turn = () => new Promise((r) => setImmediate(r));

test('the answers to a turn\'s input are written at the end of the turn, one write per connection', async () => {
  const app = createApp();
  app.get('/a', () => ({ a: 1 }));
  app.get('/b', () => 'b');
  const server = new EngineServer(app.handle, {});
  const sockets = [new FakeSocket(), new FakeSocket()];
  for (const socket of sockets) new Connection(server, socket as never, false);
  sockets[0]!.emit('data', Buffer.from('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'));
  sockets[1]!.emit('data', Buffer.from('GET /b HTTP/1.1\r\nHost: x\r\n\r\n'));
  assert.deepEqual(sockets.map((s) => s.writes.length), [0, 0], 'nothing is written during the turn');
  await turn();
  assert.deepEqual(sockets.map((s) => s.writes.length), [1, 1], 'one write per connection at its end');
  const [first, second] = sockets.map((s) => s.writes[0]!);
  assert.match(first!, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"a":1\}HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nb$/);
  assert.match(second!, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nb$/);

  // an answer that comes later (an async handler) is written when it comes
  const app2 = createApp();
  app2.get('/later', async () => {
    await new Promise((r) => setTimeout(r, 5));
    return 'later';
  });
  const socket = new FakeSocket();
  new Connection(new EngineServer(app2.handle, {}), socket as never, false);
  socket.emit('data', Buffer.from('GET /later HTTP/1.1\r\nHost: x\r\n\r\n'));
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(socket.writes.length, 1);
  assert.match(socket.writes[0]!, /later$/);
});
