// Picking the pod and container a streaming verb (logs, exec, port-forward, cp) works on.
import { CmdError, type Ctx } from "./ctx.ts";
import { resolveResource } from "./discovery.ts";
import { pathFor, query } from "./paths.ts";

/** `POD`, `pod/POD`, or `TYPE/NAME` of a workload (its first pod, as kubectl's AttachablePodForObject). */
export async function podFor(ctx: Ctx, ref: string): Promise<any> {
  const all = await ctx.resources();
  const slash = ref.indexOf("/");
  const podsRes = resolveResource(all, "pods");
  if (slash < 0) return ctx.conn.client.request("GET", pathFor(podsRes, ctx.namespace, ref));
  const res = resolveResource(all, ref.slice(0, slash));
  const name = ref.slice(slash + 1);
  if (res.kind === "Pod") return ctx.conn.client.request("GET", pathFor(podsRes, ctx.namespace, name));
  const obj: any = await ctx.conn.client.request("GET", pathFor(res, ctx.namespace, name));
  const sel = obj.spec?.selector?.matchLabels ?? (res.kind === "Service" || res.kind === "ReplicationController" ? obj.spec?.selector : undefined);
  if (!sel || !Object.keys(sel).length) throw new CmdError(`error: cannot attach to ${res.kind}: selector for ${res.kind} has no matchLabels`);
  const labelSelector = Object.entries(sel)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  const list: any = await ctx.conn.client.request("GET", pathFor(podsRes, ctx.namespace) + query({ labelSelector }));
  // Prefer running, then newest, like kubectl's ActivePods ordering.
  const pods = (list.items ?? []).sort((a: any, b: any) => {
    const r = (p: any) => (p.status?.phase === "Running" ? 0 : 1);
    return r(a) - r(b) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp));
  });
  if (!pods.length) throw new CmdError(`error: no pods found for ${res.kind.toLowerCase()} "${name}"`);
  return pods[0];
}

/** -c, else the default-container annotation, else the first container (with kubectl's notice when there are several). */
export function containerFor(ctx: Ctx, pod: any, flag: string | undefined, quiet = false): string {
  const cs: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  if (flag) {
    if (![...cs, ...inits, ...(pod.spec?.ephemeralContainers ?? [])].some((c) => c.name === flag)) {
      throw new CmdError(`error: container ${flag} is not valid for pod ${pod.metadata.name}`);
    }
    return flag;
  }
  const ann = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  if (ann && cs.some((c) => c.name === ann)) return ann;
  if (cs.length > 1 && !quiet) {
    const names = [...cs.map((c) => c.name), ...inits.map((c) => `${c.name} (init)`)];
    ctx.err(`Defaulted container "${cs[0].name}" out of: ${names.join(", ")}\n`);
  }
  if (!cs.length) throw new CmdError(`error: pod ${pod.metadata.name} has no containers`);
  return cs[0].name;
}
