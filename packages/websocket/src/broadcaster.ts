/**
 * How room messages reach the peers of other processes: a hub hands every room message (and
 * broadcast) to its broadcaster, which publishes it; what the broadcaster receives from the
 * other processes it hands back to the hub for delivery to the local peers.
 */

/** A message for the peers of a room (`room` null: every peer). */
export interface RoomMessage {
  room: string | null;
  data: string | Uint8Array;
  /** Id of a peer that does not receive it (the sender). */
  except: string | null;
}

export interface Broadcaster {
  /** Called once by the hub: `deliver` hands messages from other processes to it. */
  start(deliver: (message: RoomMessage) => void): Promise<void> | void;
  /** Sends a message of this process to the others (not back to this one). */
  publish(message: RoomMessage): void;
  /** Stops; called by the hub's close(). */
  close(): Promise<void> | void;
}
