/**
 * The authority of `workerSync()`: holds each named state's latest snapshot, gives every accepted
 * write the next version, refuses a compare-and-set whose base is stale, and sends each new
 * snapshot to every member that joined the state. It runs in the workers' primary (members are
 * workers, reached over the cluster's IPC channel) or, in a process without workers, in the
 * process itself. Writes arrive one message at a time, so versions are assigned in one place, in
 * one order.
 */
import type { Snapshot, WriteResult } from './sync.js';

/** A joined ReadState somewhere: how to send it a new snapshot. */
export interface HubMember {
  send(name: string, snapshot: Snapshot): void;
}

interface Entry {
  version: number;
  value: unknown;
  members: Set<HubMember>;
}

export class Hub {
  private readonly states = new Map<string, Entry>();

  /** Joins `member` to `name`; the hub adopts `local` when it holds nothing newer. */
  join(name: string, local: Snapshot, member: HubMember): Snapshot {
    let entry = this.states.get(name);
    if (entry === undefined) {
      entry = { version: local.version, value: local.value, members: new Set() };
      this.states.set(name, entry);
    } else if (local.version > entry.version) {
      entry.version = local.version;
      entry.value = local.value;
    }
    entry.members.add(member);
    return { version: entry.version, value: entry.value };
  }

  write(name: string, value: unknown, base: number | null): WriteResult {
    const entry = this.states.get(name);
    if (entry === undefined) throw new Error(`state "${name}" was written before it was joined`);
    if (base !== null && base !== entry.version) return { ok: false, current: { version: entry.version, value: entry.value } };
    entry.version++;
    entry.value = value;
    const snapshot = { version: entry.version, value };
    for (const m of entry.members) m.send(name, snapshot);
    return { ok: true, version: entry.version };
  }

  leave(name: string, member: HubMember): void {
    this.states.get(name)?.members.delete(member);
  }

  /** Drops `member` from every state (its process is gone). */
  leaveAll(member: HubMember): void {
    for (const entry of this.states.values()) entry.members.delete(member);
  }
}
