// core/v1 Event recorder with upstream's correlation (client-go tools/record):
//  - spam filter (applied last, as upstream): a token bucket per source+object (burst 25,
//    one more every 5 minutes);
//  - aggregation: more than 10 distinct messages for the same object+reason within 10 minutes
//    collapse into one "(combined from similar events): …" event;
//  - dedup: a repeat of the same object+type+reason+message patches the existing Event
//    (count+1, lastTimestamp) instead of creating a new one; names are `<object>.<hex ns>`.
// Writing is asynchronous and sequential; event() never blocks or throws.
import { StatusError } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Client, GVR } from "../../client/types.ts";
import type { Logger } from "../../util/log.ts";

export const CORE_EVENTS: GVR = { group: "", version: "v1", resource: "events" };

export type EventType = "Normal" | "Warning";

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventRecorderOptions {
  client: Client;
  /** source.component / reportingComponent, e.g. "deployment-controller". */
  component: string;
  /** source.host / reportingInstance (kubelet: the node name). */
  host?: string;
  now?: () => Date;
  /** Aggregation: distinct messages before combining (10) and window (10 min). */
  maxSimilarEvents?: number;
  aggregateWindowMs?: number;
  /** Spam filter bucket: burst 25, one token per 300 s. */
  spamBurst?: number;
  spamRefillMs?: number;
  logger?: Logger;
}

export interface EventRecorder {
  /** Records an event about `obj` (which must carry apiVersion and kind, or pass them in `ref`). */
  event(obj: KubeObject, type: EventType, reason: string, message: string, ref?: Partial<ObjectReference>): void;
  eventf(obj: KubeObject, type: EventType, reason: string, format: string, ...args: unknown[]): void;
  /** Resolves when everything recorded so far has been written (or given up on). */
  flush(): Promise<void>;
}

/** Go-style %s/%d/%v formatting, enough for event messages. */
export function sprintf(format: string, ...args: unknown[]): string {
  let i = 0;
  return format.replace(/%[sdvq%]/g, (m) => {
    if (m === "%%") return "%";
    const a = args[i++];
    if (m === "%q") return JSON.stringify(String(a));
    return typeof a === "object" && a !== null ? JSON.stringify(a) : String(a);
  });
}

export function referenceOf(obj: KubeObject, over: Partial<ObjectReference> = {}): ObjectReference {
  const m = obj.metadata ?? {};
  const ref: ObjectReference = { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion, ...over };
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined || ref[k] === "") delete ref[k];
  return ref;
}

/** Kubernetes' metav1.Time: RFC 3339 in seconds. */
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** A map that forgets its oldest entries beyond `max` (upstream uses 4096-entry LRUs). */
function lru<V>(max = 4096) {
  const m = new Map<string, V>();
  return {
    get(k: string) {
      const v = m.get(k);
      if (v !== undefined) {
        m.delete(k);
        m.set(k, v);
      }
      return v;
    },
    set(k: string, v: V) {
      m.delete(k);
      m.set(k, v);
      if (m.size > max) m.delete(m.keys().next().value!);
    },
  };
}

export function createEventRecorder(o: EventRecorderOptions): EventRecorder {
  const now = o.now ?? (() => new Date());
  const maxSimilar = o.maxSimilarEvents ?? 10;
  const windowMs = o.aggregateWindowMs ?? 600_000;
  const burst = o.spamBurst ?? 25;
  const refillMs = o.spamRefillMs ?? 300_000;
  const source = { component: o.component, ...(o.host ? { host: o.host } : {}) };
  const spam = lru<{ tokens: number; at: number }>();
  const similar = lru<{ messages: Set<string>; last: number }>();
  const seen = lru<{ name: string; namespace: string; count: number; firstTimestamp: string }>();
  let chain: Promise<void> = Promise.resolve();
  let seq = 0n;

  const nameFor = (ref: ObjectReference, t: Date) => {
    // UnixNano in hex; a counter fills the sub-millisecond digits so names stay unique.
    const ns = BigInt(t.getTime()) * 1_000_000n + (seq++ % 1_000_000n);
    return `${ref.name}.${ns.toString(16)}`;
  };

  const allow = (key: string, t: number): boolean => {
    const b = spam.get(key) ?? { tokens: burst, at: t };
    b.tokens = Math.min(burst, b.tokens + (t - b.at) / refillMs);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    spam.set(key, b);
    return ok;
  };

  async function write(ev: KubeObject, isRepeat: boolean): Promise<void> {
    const ns = ev.metadata!.namespace!;
    if (isRepeat) {
      try {
        await o.client.patch(CORE_EVENTS, ev.metadata!.name!, "strategic", { count: ev.count, lastTimestamp: ev.lastTimestamp, message: ev.message }, { namespace: ns });
        return;
      } catch (e) {
        // The event expired (TTL) or was deleted: start over with a fresh one.
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    const { resourceVersion: _rv, ...meta } = ev.metadata!;
    await o.client.create(CORE_EVENTS, { ...ev, metadata: meta }, { namespace: ns });
  }

  function record(obj: KubeObject, type: EventType, reason: string, message: string, over?: Partial<ObjectReference>) {
    const ref = referenceOf(obj, over);
    const t = now();
    const ms = t.getTime();
    const objKey = JSON.stringify([source.component, source.host ?? "", ref.kind, ref.namespace, ref.name, ref.uid, ref.apiVersion]);
    // Aggregation by everything but the message.
    const aggKey = JSON.stringify([objKey, type, reason, o.component, o.host ?? ""]);
    let rec = similar.get(aggKey);
    if (!rec || ms - rec.last > windowMs) rec = { messages: new Set(), last: ms };
    rec.messages.add(message);
    rec.last = ms;
    similar.set(aggKey, rec);
    let key = JSON.stringify([objKey, ref.fieldPath ?? "", type, reason, message]);
    let msg = message;
    if (rec.messages.size >= maxSimilar) {
      key = aggKey;
      msg = `(combined from similar events): ${message}`;
    }
    const namespace = ref.namespace || "default";
    const prev = seen.get(key);
    const stamp = rfc3339(t);
    const ev: KubeObject = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: prev?.name ?? nameFor(ref, t), namespace },
      involvedObject: ref,
      reason,
      message: msg,
      source,
      firstTimestamp: prev?.firstTimestamp ?? stamp,
      lastTimestamp: stamp,
      count: (prev?.count ?? 0) + 1,
      type,
      eventTime: null,
      reportingComponent: o.component,
      reportingInstance: o.host ?? "",
    };
    seen.set(key, { name: ev.metadata!.name!, namespace, count: ev.count, firstTimestamp: ev.firstTimestamp });
    // Upstream filters after observing, so dropped repeats still advance the count.
    if (!allow(objKey, ms)) {
      o.logger?.v(4, "event dropped by spam filter", { object: `${ref.namespace ?? ""}/${ref.name}`, reason });
      return;
    }
    chain = chain.then(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await write(ev, ev.count > 1);
          return;
        } catch (e) {
          if (e instanceof StatusError && e.code >= 400 && e.code < 500 && e.code !== 429) {
            o.logger?.v(2, "event rejected", { reason, code: e.code, err: e.message });
            return;
          }
          if (attempt === 2) o.logger?.warn("event not written", { reason, err: e instanceof Error ? e.message : String(e) });
          else await Bun.sleep(50 * (attempt + 1));
        }
      }
    });
  }

  return {
    event: record,
    eventf: (obj, type, reason, format, ...args) => record(obj, type, reason, sprintf(format, ...args)),
    flush: () => chain,
  };
}
