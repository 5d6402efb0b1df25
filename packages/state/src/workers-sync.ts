/**
 * `workerSync()`: shares ReadStates between the workers of one machine (`listen({ workers })`
 * of @armature/core, or any node:cluster app). The primary holds the authority (hub.ts) and the
 * workers talk to it over the cluster's IPC channel: a worker's write goes to the primary, which
 * versions it and sends the new snapshot to every worker that joined the state, the writer
 * included, before it answers the writer. A worker that starts (or is restarted) joins and gets
 * the latest snapshot. In a process that is not a worker the authority is in-process, so the same
 * code runs unchanged without workers.
 *
 * The primary starts listening as soon as this module is loaded there: the primary runs the same
 * entry script as the workers, so importing @armature/state is enough. Values cross the channel
 * as JSON.
 */
import cluster, { type Worker } from 'node:cluster';
import { Hub, type HubMember } from './hub.js';
import type { Snapshot, StateSync, SyncChannel, SyncListener, WriteResult } from './sync.js';

const TAG = 'armature:state';

type ToPrimary =
  | { tag: typeof TAG; t: 'join'; id: number; member: number; name: string; version: number; value: unknown }
  | { tag: typeof TAG; t: 'write'; id: number; name: string; base: number | null; value: unknown }
  | { tag: typeof TAG; t: 'leave'; member: number; name: string };
type ToWorker =
  | { tag: typeof TAG; t: 'reply'; id: number; result: Snapshot | WriteResult }
  | { tag: typeof TAG; t: 'update'; member: number; name: string; version: number; value: unknown };

let hub: Hub | null = null;

/** The authority of this process (the primary's, or a plain process's own). */
function localHub(): Hub {
  return (hub ??= new Hub());
}

/** In the primary: answers the workers' messages (installed once, on load). */
function servePrimary(): void {
  const members = new Map<Worker, Map<number, HubMember>>();
  const memberOf = (worker: Worker, id: number): HubMember => {
    let mine = members.get(worker);
    if (mine === undefined) members.set(worker, (mine = new Map()));
    let member = mine.get(id);
    if (member === undefined) {
      member = {
        send: (name, s) => {
          if (worker.isConnected()) worker.send({ tag: TAG, t: 'update', member: id, name, version: s.version, value: s.value } satisfies ToWorker);
        },
      };
      mine.set(id, member);
    }
    return member;
  };
  cluster.on('message', (worker: Worker, message: ToPrimary) => {
    if (message === null || typeof message !== 'object' || message.tag !== TAG) return;
    const h = localHub();
    const reply = (id: number, result: Snapshot | WriteResult): void => {
      if (worker.isConnected()) worker.send({ tag: TAG, t: 'reply', id, result } satisfies ToWorker);
    };
    if (message.t === 'join') reply(message.id, h.join(message.name, { version: message.version, value: message.value }, memberOf(worker, message.member)));
    else if (message.t === 'write') reply(message.id, h.write(message.name, message.value, message.base));
    else if (message.t === 'leave') h.leave(message.name, memberOf(worker, message.member));
  });
  cluster.on('exit', (worker: Worker) => {
    const mine = members.get(worker);
    if (mine === undefined) return;
    members.delete(worker);
    // a member of a dead worker is dropped from every state it joined
    for (const member of mine.values()) localHub().leaveAll(member);
  });
}

if (cluster.isPrimary) servePrimary();

// ---- the worker side -------------------------------------------------------------------------

let nextId = 1;
const pending = new Map<number, (result: never) => void>();
const listeners = new Map<number, SyncListener>();
let listening = false;

function request<R>(message: ToPrimary & { id: number }): Promise<R> {
  if (!listening) {
    listening = true;
    process.on('message', (m: ToWorker) => {
      if (m === null || typeof m !== 'object' || m.tag !== TAG) return;
      if (m.t === 'reply') {
        const resolve = pending.get(m.id);
        pending.delete(m.id);
        resolve?.(m.result as never);
      } else listeners.get(m.member)?.update({ version: m.version, value: m.value });
    });
  }
  return new Promise<R>((resolve) => {
    pending.set(message.id, resolve as (result: never) => void);
    process.send!(message);
  });
}

class WorkerChannel implements SyncChannel {
  constructor(
    private readonly name: string,
    private readonly member: number,
  ) {}
  write(value: unknown, base: number | null): Promise<WriteResult> {
    return request<WriteResult>({ tag: TAG, t: 'write', id: nextId++, name: this.name, base, value });
  }
  async leave(): Promise<void> {
    listeners.delete(this.member);
    process.send!({ tag: TAG, t: 'leave', member: this.member, name: this.name } satisfies ToPrimary);
  }
}

class LocalChannel implements SyncChannel {
  constructor(
    private readonly name: string,
    private readonly member: HubMember,
  ) {}
  write(value: unknown, base: number | null): Promise<WriteResult> {
    return Promise.resolve(localHub().write(this.name, value, base));
  }
  async leave(): Promise<void> {
    localHub().leave(this.name, this.member);
  }
}

const WORKERS: StateSync = {
  kind: 'workers',
  async join(name, local, listener) {
    if (!cluster.isWorker || process.send === undefined) {
      const member: HubMember = { send: (_, s) => listener.update(s) };
      const snapshot = localHub().join(name, local, member);
      return { channel: new LocalChannel(name, member), snapshot };
    }
    const member = nextId++;
    listeners.set(member, listener);
    const snapshot = await request<Snapshot>({ tag: TAG, t: 'join', id: nextId++, member, name, version: local.version, value: local.value });
    return { channel: new WorkerChannel(name, member), snapshot };
  },
};

/**
 * Shares a ReadState between the workers of this machine through the primary:
 * `new ReadState(initial, { name: 'flags', sync: workerSync() })`.
 */
export function workerSync(): StateSync {
  return WORKERS;
}
