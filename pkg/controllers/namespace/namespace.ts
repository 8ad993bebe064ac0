// Namespace lifecycle (kube-controller-manager's namespace controller): a namespace being
// deleted has every namespaced object in it deleted, its status conditions report progress,
// and once it is empty the `kubernetes` finalizer is removed through /finalize.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue } from "../../client/index.ts";
import type { Client } from "../../client/types.ts";
import { enqueueSelf } from "../shared/handlers.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { discoverResources, type DiscoveredResource } from "../garbagecollector/discovery.ts";

const NAMESPACES = { group: "", version: "v1", resource: "namespaces" };
const FINALIZER = "kubernetes";

interface Condition {
  type: string;
  status: "True" | "False";
  lastTransitionTime?: string;
  reason: string;
  message: string;
}

export interface NamespaceOptions {
  /** Delay before re-checking a namespace whose content is still going away. */
  recheckMs?: number;
  workers?: number;
}

/** What deleting one namespace's content found: upstream's condition inputs. */
interface Outcome {
  discoveryError?: string;
  deleteErrors: string[];
  remaining: Map<string, number>;
  finalizers: Map<string, number>;
}

async function drain(client: Client, resources: DiscoveredResource[], ns: string): Promise<Outcome> {
  const out: Outcome = { deleteErrors: [], remaining: new Map(), finalizers: new Map() };
  for (const r of resources) {
    const gr = r.gvr.group ? `${r.gvr.resource}.${r.gvr.group}` : r.gvr.resource;
    let items: KubeObject[];
    try {
      if (r.verbs.includes("deletecollection")) await client.deleteCollection(r.gvr, { namespace: ns });
      items = (await client.list(r.gvr, { namespace: ns })).items;
      if (!r.verbs.includes("deletecollection") && r.verbs.includes("delete")) {
        for (const o of items) if (!o.metadata?.deletionTimestamp) await client.delete(r.gvr, o.metadata!.name!, { namespace: ns }).catch((e) => { if (!(e instanceof StatusError && e.code === 404)) throw e; });
        items = (await client.list(r.gvr, { namespace: ns })).items;
      }
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 405)) continue;
      out.deleteErrors.push(`${gr}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (items.length) out.remaining.set(gr, items.length);
    for (const o of items) for (const f of o.metadata?.finalizers ?? []) out.finalizers.set(f, (out.finalizers.get(f) ?? 0) + 1);
  }
  return out;
}

const sorted = <V>(m: Map<string, V>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

/** The five deletion conditions with upstream's reasons and messages. */
export function deletionConditions(o: Outcome): Condition[] {
  const cond = (type: string, bad: boolean, badReason: string, badMsg: string, okReason: string, okMsg: string): Condition =>
    bad ? { type, status: "True", reason: badReason, message: badMsg } : { type, status: "False", reason: okReason, message: okMsg };
  return [
    cond("NamespaceDeletionDiscoveryFailure", !!o.discoveryError, "DiscoveryFailed", `Discovery failed for some groups: ${o.discoveryError}`, "ResourcesDiscovered", "All resources successfully discovered"),
    cond("NamespaceDeletionGroupVersionParsingFailure", false, "GroupVersionParsingFailed", "", "ParsedGroupVersions", "All legacy kube types successfully parsed"),
    cond("NamespaceDeletionContentFailure", o.deleteErrors.length > 0, "ContentDeletionFailed", `Failed to delete all resource types, ${o.deleteErrors.length} remaining: ${o.deleteErrors.join(", ")}`, "ContentDeleted", "All content successfully deleted, may be waiting on finalization"),
    cond("NamespaceContentRemaining", o.remaining.size > 0, "SomeResourcesRemain", `Some resources are remaining: ${sorted(o.remaining).map(([r, n]) => `${r} has ${n} resource instances`).join(", ")}`, "ContentRemoved", "All content successfully removed"),
    cond("NamespaceFinalizersRemaining", o.finalizers.size > 0, "SomeFinalizersRemain", `Some content in the namespace has finalizers remaining: ${sorted(o.finalizers).map(([f, n]) => `${f} in ${n} resource instances`).join(", ")}`, "ContentHasNoFinalizers", "All content-preserving finalizers finished"),
  ];
}

export async function startNamespaceController(ctx: ControllerContext, opts: NamespaceOptions = {}): Promise<RunningControllers> {
  const { client } = ctx;
  const queue = createWorkQueue<string>();
  const informer = ctx.informers.forResource(NAMESPACES);
  informer.addEventHandler(enqueueSelf(queue, (o) => !!o.metadata?.deletionTimestamp));

  const writeConditions = async (ns: KubeObject, conds: Condition[]) => {
    const now = ctx.config.now().toISOString().replace(/\.\d{3}Z$/, "Z");
    const prev = new Map<string, Condition>((ns.status?.conditions ?? []).map((c: Condition) => [c.type, c]));
    const next = conds.map((c) => {
      const p = prev.get(c.type);
      return { ...c, lastTransitionTime: p && p.status === c.status ? p.lastTransitionTime : now };
    });
    if (JSON.stringify(next) === JSON.stringify(ns.status?.conditions ?? [])) return;
    const upd = structuredClone(ns);
    upd.status = { ...(upd.status ?? {}), conditions: next };
    await client.updateStatus(NAMESPACES, upd);
  };

  const sync = async (name: string) => {
    const ns = informer.store.get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER)) return;
    let outcome: Outcome;
    try {
      const all = await discoverResources(client, ctx.signal);
      outcome = await drain(client, all.filter((r) => r.namespaced && r.verbs.includes("list")), name);
    } catch (e) {
      outcome = { discoveryError: e instanceof Error ? e.message : String(e), deleteErrors: [], remaining: new Map(), finalizers: new Map() };
    }
    try {
      await writeConditions(ns, deletionConditions(outcome));
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
    if (outcome.discoveryError || outcome.deleteErrors.length) throw new Error(`namespace ${name}: content deletion incomplete`);
    if (outcome.remaining.size) {
      queue.addAfter(name, opts.recheckMs ?? 1000);
      return;
    }
    const live = await client.get(NAMESPACES, name).catch((e) => {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    });
    if (!live) return;
    const fin = structuredClone(live);
    fin.spec = { ...(fin.spec ?? {}), finalizers: (fin.spec?.finalizers ?? []).filter((f: string) => f !== FINALIZER) };
    await client.request("PUT", `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, fin);
  };

  const running = runController({ name: "namespace", workers: opts.workers ?? 2, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
