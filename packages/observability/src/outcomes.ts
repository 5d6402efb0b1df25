/**
 * What an answered request is counted and logged by: its route pattern, method and status.
 * Each combination is one object, found once per request (exchange.outcome) with two map lookups
 * and a switch, and shared by the observers, which keep on it what they derive from it: the
 * metrics their series, the request line its middle bytes. Methods outside the standard set share
 * one outcome per route and status (`other`), so the outcomes stay as few as the app's routes
 * whatever methods clients make up.
 */

/** The methods that are labels of their own; any other is `other`. */
const STANDARD_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'] as const;
const OTHER = STANDARD_METHODS.length;

export class Outcome {
  /** The route pattern, or null for an answer no route gave (not found, 405, a malformed path). */
  readonly route: string | null;
  /** The route pattern as JSON (`null` when there is none). */
  readonly routeJson: string;
  /** The method, or `other` for one outside STANDARD_METHODS. */
  readonly method: string;
  readonly status: number;
  /** The request line's bytes from the method to the duration's key, for a request whose path is its route pattern (see request-line.ts). */
  line: Buffer | undefined = undefined;
  /** The series of the first metrics that recorded this outcome (others keep theirs in a map of their own; see http-series.ts). */
  seriesOwner: object | null = null;
  series: unknown = undefined;

  constructor(route: string | null, method: string, status: number) {
    this.route = route;
    this.routeJson = route === null ? 'null' : JSON.stringify(route);
    this.method = method;
    this.status = status;
  }
}

function methodIndex(method: string): number {
  switch (method) {
    case 'GET': return 0;
    case 'HEAD': return 1;
    case 'POST': return 2;
    case 'PUT': return 3;
    case 'PATCH': return 4;
    case 'DELETE': return 5;
    case 'OPTIONS': return 6;
    case 'TRACE': return 7;
    case 'CONNECT': return 8;
    default: return OTHER;
  }
}

/** Route pattern → outcomes by method index, then by status. */
const byRoute = new Map<string | null, Array<Map<number, Outcome> | undefined>>();

/** The outcome of a request to `route` with `method` answered with `status`. */
export function outcomeOf(route: string | null, method: string, status: number): Outcome {
  let byMethod = byRoute.get(route);
  if (byMethod === undefined) byRoute.set(route, (byMethod = new Array<Map<number, Outcome> | undefined>(OTHER + 1).fill(undefined)));
  const i = methodIndex(method);
  let byStatus = byMethod[i];
  if (byStatus === undefined) byMethod[i] = byStatus = new Map();
  let outcome = byStatus.get(status);
  if (outcome === undefined) byStatus.set(status, (outcome = new Outcome(route, i === OTHER ? 'other' : STANDARD_METHODS[i]!, status)));
  return outcome;
}
