/**
 * The request counter and duration histogram, kept in plain numbers per series (route, method,
 * status) and handed to prom-client only when scraped. prom-client's own metrics hash their
 * label object on every `inc()`/`observe()`; here a request's series hangs on its outcome (see
 * outcomes.ts, shared with the request line), so recording it adds to a few numbers: no lookup
 * and nothing allocated once the series exists. The metrics registered on the registry read the
 * series at scrape time, in the shape prom-client's Counter and Histogram report (so workers'
 * registries sum the same way).
 */
import type { Registry } from 'prom-client';
import type { Outcome } from '../outcomes.js';

interface Labels {
  method: string;
  route: string;
  status: string;
}

class Series {
  readonly labels: Labels;
  count = 0;
  sum = 0;
  /** Observations per bucket (not cumulative); the last one is +Inf. */
  readonly buckets: Float64Array;
  constructor(labels: Labels, size: number) {
    this.labels = labels;
    this.buckets = new Float64Array(size + 1);
  }
}

type Value = { labels: Record<string, string | number>; value: number; metricName?: string };

export class HttpSeries {
  private readonly bounds: readonly number[];
  /** Called before the series are read (records that wait are made first). */
  private readonly beforeRead: () => void;
  /** The route label of answers no route gave. */
  private readonly unmatched: string;
  /** What this one leaves on the outcomes it records first (not itself: the outcomes outlive it). */
  private readonly token = {};
  /** This one's series of the outcomes another HttpSeries recorded first (see Outcome.seriesOwner). */
  private readonly others = new Map<Outcome, Series>();
  private readonly all: Series[] = [];

  constructor(bounds: readonly number[], unmatched: string, beforeRead: () => void) {
    this.unmatched = unmatched;
    this.beforeRead = beforeRead;
    const sorted = [...bounds].sort((a, b) => a - b);
    for (const b of sorted) if (!Number.isFinite(b) || b <= 0) throw new TypeError(`metrics buckets must be positive finite numbers of seconds, got ${b}`);
    this.bounds = sorted;
  }

  /** One request: the series of its outcome gets a count and its duration. */
  record(outcome: Outcome, seconds: number): void {
    const series = outcome.seriesOwner === this.token ? (outcome.series as Series) : this.seriesOf(outcome);
    series.count++;
    series.sum += seconds;
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]!) i++;
    series.buckets[i]!++;
  }

  /** The series of `outcome` when another HttpSeries owns the one on it, or it has none yet. */
  private seriesOf(outcome: Outcome): Series {
    let series = outcome.seriesOwner === null ? undefined : this.others.get(outcome);
    if (series !== undefined) return series;
    series = new Series({ method: outcome.method, route: outcome.route ?? this.unmatched, status: String(outcome.status) }, this.bounds.length);
    if (outcome.seriesOwner === null) {
      outcome.seriesOwner = this.token;
      outcome.series = series;
    } else {
      this.others.set(outcome, series);
    }
    this.all.push(series);
    return series;
  }

  /** Registers `name` as a counter of the requests of every series. */
  registerCounter(registry: Registry, name: string, help: string): void {
    const all = this.all;
    register(registry, {
      name, help, type: 'counter', aggregator: 'sum',
      values: () => {
        this.beforeRead();
        return all.map((s): Value => ({ labels: { ...s.labels }, value: s.count }));
      },
    });
  }

  /** Registers `name` as a histogram of the durations of every series. */
  registerHistogram(registry: Registry, name: string, help: string): void {
    const all = this.all;
    const bounds = this.bounds;
    register(registry, {
      name, help, type: 'histogram', aggregator: 'sum',
      values: () => {
        this.beforeRead();
        const out: Value[] = [];
        for (const s of all) {
          let cumulative = 0;
          for (let i = 0; i <= bounds.length; i++) {
            cumulative += s.buckets[i]!;
            out.push({ labels: { ...s.labels, le: i < bounds.length ? bounds[i]! : '+Inf' }, value: cumulative, metricName: `${name}_bucket` });
          }
          out.push({ labels: { ...s.labels }, value: s.sum, metricName: `${name}_sum` });
          out.push({ labels: { ...s.labels }, value: s.count, metricName: `${name}_count` });
        }
        return out;
      },
    });
  }

  reset(): void {
    for (const s of this.all) {
      s.count = 0;
      s.sum = 0;
      s.buckets.fill(0);
    }
  }
}

function register(registry: Registry, m: { name: string; help: string; type: string; aggregator: string; values: () => Value[] }): void {
  const metric = {
    name: m.name,
    help: m.help,
    type: m.type,
    aggregator: m.aggregator,
    get: async () => ({ name: m.name, help: m.help, type: m.type, aggregator: m.aggregator, values: m.values() }),
    reset: () => {},
  };
  registry.registerMetric(metric as never);
}
