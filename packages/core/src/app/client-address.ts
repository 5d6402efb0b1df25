/**
 * Which peers may speak for the client: the `trustProxy` option, compiled once into a function,
 * and the walk along `X-Forwarded-For` that stops at the first hop that is not trusted.
 */
import { BlockList, isIP } from 'node:net';

/**
 * `false` (default): ignore X-Forwarded-* and use the socket peer. `true`: trust every hop.
 * A number: trust that many hops from the server (1 = the peer is your proxy). Addresses and
 * CIDR ranges (an array, or one comma-separated string), with the presets `loopback`,
 * `linklocal` and `uniquelocal`. Or a function `(address, hop) => boolean`, hop 0 being the peer.
 */
export type TrustProxy = boolean | number | string | readonly string[] | ((address: string, hop: number) => boolean);

export type TrustFunction = (address: string, hop: number) => boolean;

const PRESETS: Record<string, readonly string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const trustAll: TrustFunction = () => true;

/** The trust function for a `trustProxy` setting, or null when forwarded fields are ignored. */
export function compileTrust(option: TrustProxy | undefined): TrustFunction | null {
  if (option === undefined || option === false) return null;
  if (option === true) return trustAll;
  if (typeof option === 'function') return option;
  if (typeof option === 'number') {
    if (!Number.isInteger(option) || option < 0) throw new TypeError(`trustProxy: a hop count must be a non-negative integer, got ${option}`);
    if (option === 0) return null;
    return (_address, hop) => hop < option;
  }
  const entries = typeof option === 'string' ? option.split(',') : option;
  const list = new BlockList();
  let count = 0;
  for (const raw of entries) {
    const entry = String(raw).trim();
    if (entry === '') continue;
    for (const range of PRESETS[entry] ?? [entry]) {
      addRange(list, range);
      count++;
    }
  }
  if (count === 0) return null;
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}

function addRange(list: BlockList, range: string): void {
  const slash = range.indexOf('/');
  const address = slash === -1 ? range : range.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new TypeError(`trustProxy: "${range}" is not an IP address, a CIDR range or one of ${Object.keys(PRESETS).join(', ')}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) {
    list.addAddress(address, type);
    return;
  }
  const bits = range.slice(slash + 1);
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new TypeError(`trustProxy: bad prefix length in "${range}"`);
  list.addSubnet(address, prefix, type);
}

/**
 * The hops from the server back toward the client: the socket peer first, then the
 * `X-Forwarded-For` entries from right to left, cut after the first one that is not trusted.
 * The last element is the client's address.
 */
export function forwardedChain(peer: string, forwardedFor: string | undefined, trust: TrustFunction | null): string[] {
  const chain = [peer];
  if (trust === null || forwardedFor === undefined) return chain;
  const parts = forwardedFor.split(',');
  for (let i = parts.length - 1; i >= 0; i--) {
    const hop = parts[i]!.trim();
    if (hop !== '') chain.push(hop);
  }
  for (let i = 0; i < chain.length - 1; i++) {
    if (!trust(chain[i]!, i)) {
      chain.length = i + 1;
      break;
    }
  }
  return chain;
}

/** The first element of a comma-separated field value, trimmed. */
export function firstValue(value: string): string {
  const comma = value.indexOf(',');
  return (comma === -1 ? value : value.slice(0, comma)).trim();
}
