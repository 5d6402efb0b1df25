/** Rooms of one process: room name → its local peers. A room exists while it has a peer. */
import type { WebSocketPeer } from './peer.js';

export class Rooms {
  private readonly rooms = new Map<string, Set<WebSocketPeer<any>>>();

  join(peer: WebSocketPeer<any>, room: string): void {
    let members = this.rooms.get(room);
    if (members === undefined) this.rooms.set(room, (members = new Set()));
    members.add(peer);
    peer.rooms.add(room);
  }

  leave(peer: WebSocketPeer<any>, room: string): void {
    const members = this.rooms.get(room);
    peer.rooms.delete(room);
    if (members === undefined) return;
    members.delete(peer);
    if (members.size === 0) this.rooms.delete(room);
  }

  leaveAll(peer: WebSocketPeer<any>): void {
    if (!peer.inRooms) return;
    for (const room of [...peer.rooms]) this.leave(peer, room);
  }

  /** Local peers of a room (empty when there is none). */
  members(room: string): ReadonlySet<WebSocketPeer<any>> {
    return this.rooms.get(room) ?? EMPTY;
  }

  /** Names of the rooms that have a local peer. */
  names(): string[] {
    return [...this.rooms.keys()];
  }
}

const EMPTY: ReadonlySet<WebSocketPeer<any>> = new Set();
