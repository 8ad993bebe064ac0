// events.k8s.io/v1 recorder (client-go tools/events): the first occurrence creates an Event;
// the first repeat of an isomorphic event (same type, action, reason, reporter, regarding,
// related — the note does not matter) patches in `series {count: 2, lastObservedTime}`;
// later repeats only count locally and are written by the periodic refresh (30 min) or when
// the series finishes (no repeat for 6 min).
import { StatusError } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Client, GVR } from "../../client/types.ts";
import type { Logger } from "../../util/log.ts";
import { referenceOf, sprintf, type EventType, type ObjectReference } from "./events.ts";

export const EVENTS_V1: GVR = { group: "events.k8s.io", version: "v1", resource: "events" };

/** Validation caps the note at 1 kB. */
const MAX_NOTE = 1024;

export interface EventsV1RecorderOptions {
  client: Client;
  reportingController: string;
  /** Upstream: `<controller>-<hostname>`. */
  reportingInstance: string;
  now?: () => Date;
  refreshMs?: number;
  finishMs?: number;
  logger?: Logger;
}

export interface EventsV1Recorder {
  eventf(regarding: KubeObject, related: KubeObject | undefined, type: EventType, reason: string, action: string, note: string, ...args: unknown[]): void;
  flush(): Promise<void>;
  /** Stops the refresh/finish timers (pending writes still complete; await flush()). */
  shutdown(): void;
}

const microTime = (d: Date) => d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

interface Cached {
  ev: KubeObject;
  series?: { count: number; lastObservedTime: string };
  observedAt: number;
}

export function createEventsV1Recorder(o: EventsV1RecorderOptions): EventsV1Recorder {
  const now = o.now ?? (() => new Date());
  const cache = new Map<string, Cached>();
  let chain: Promise<void> = Promise.resolve();
  let seq = 0n;

  const enqueue = (fn: () => Promise<void>) => {
    chain = chain.then(fn).catch((e) => o.logger?.warn("event not written", { err: e instanceof Error ? e.message : String(e) }));
  };

  async function write(c: Pick<Cached, "ev" | "series">): Promise<void> {
    const ev = c.ev;
    const ns = ev.metadata!.namespace!;
    if (c.series) {
      try {
        await o.client.patch(EVENTS_V1, ev.metadata!.name!, "strategic", { series: { ...c.series } }, { namespace: ns });
        return;
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    try {
      await o.client.create(EVENTS_V1, c.series ? { ...ev, series: { ...c.series } } : ev, { namespace: ns });
    } catch (e) {
      // Two writers raced to create the same event: harmless.
      if (!(e instanceof StatusError && e.code === 409)) throw e;
    }
  }

  const refresh = () => {
    for (const c of cache.values()) if (c.series) enqueue(() => write(c));
  };
  const finish = () => {
    const cutoff = now().getTime() - (o.finishMs ?? 360_000);
    for (const [k, c] of cache) {
      if (c.observedAt >= cutoff) continue;
      cache.delete(k);
      if (c.series) enqueue(() => write(c));
    }
  };
  const refreshTimer = setInterval(refresh, o.refreshMs ?? 1_800_000);
  const finishTimer = setInterval(finish, o.finishMs ?? 360_000);

  return {
    eventf(regarding, related, type, reason, action, note, ...args) {
      const t = now();
      const reg = referenceOf(regarding);
      const rel: ObjectReference | undefined = related ? referenceOf(related) : undefined;
      const key = JSON.stringify([type, action, reason, o.reportingController, o.reportingInstance, reg, rel ?? null]);
      const hit = cache.get(key);
      if (hit) {
        hit.observedAt = t.getTime();
        if (hit.series) {
          hit.series.count++;
          hit.series.lastObservedTime = microTime(t);
          return;
        }
        hit.series = { count: 2, lastObservedTime: microTime(t) };
        const snapshot: Cached = { ev: hit.ev, series: { ...hit.series }, observedAt: hit.observedAt };
        enqueue(() => write(snapshot));
        return;
      }
      let text = args.length ? sprintf(note, ...args) : note;
      if (text.length > MAX_NOTE) text = text.slice(0, MAX_NOTE - 3) + "...";
      const nanos = BigInt(t.getTime()) * 1_000_000n + (seq++ % 1_000_000n);
      const ev: KubeObject = {
        apiVersion: "events.k8s.io/v1",
        kind: "Event",
        metadata: { name: `${reg.name}.${nanos.toString(16)}`, namespace: reg.namespace || "default" },
        eventTime: microTime(t),
        reportingController: o.reportingController,
        reportingInstance: o.reportingInstance,
        action,
        reason,
        regarding: reg,
        ...(rel ? { related: rel } : {}),
        note: text,
        type,
      };
      const c: Cached = { ev, observedAt: t.getTime() };
      cache.set(key, c);
      enqueue(() => write({ ev }));
    },
    flush: () => chain,
    shutdown() {
      clearInterval(refreshTimer);
      clearInterval(finishTimer);
    },
  };
}
