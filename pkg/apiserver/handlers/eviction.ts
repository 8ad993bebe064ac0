// pods/eviction: delete the pod unless a PodDisruptionBudget forbids it (429, as upstream);
// an allowed eviction spends one of the budget's disruptionsAllowed first.
import type { KubeObject } from "../../api/types.ts";
import { badRequest, StatusError, tooManyRequests } from "../../api/errors.ts";
import type { ResourceRequest, Server } from "../context.ts";
import { decodeBody, requireObject } from "../codec.ts";
import { deleteObject } from "../deletion.ts";
import { getObject, guaranteedUpdate } from "../objects.ts";
import { listPrefix } from "../keys.ts";
import { decodeKV } from "../store.ts";
import { respond } from "../render.ts";
import { labelSelectorFromSpec, matchesLabels } from "../deps/selectors.ts";
import { nowRFC3339 } from "../deps/meta.ts";

async function matchingBudgets(s: Server, pod: KubeObject): Promise<KubeObject[]> {
  const info = s.registry.lookup("policy", "v1", "poddisruptionbudgets");
  if (!info) return [];
  const r = await s.backend.list(listPrefix(info, pod.metadata!.namespace));
  const out: KubeObject[] = [];
  for (const kv of r.kvs) {
    const pdb = decodeKV(kv);
    const sel = pdb.spec?.selector;
    // A nil selector matches nothing; an empty one everything (policy/v1).
    if (!sel) continue;
    try {
      if (matchesLabels(labelSelectorFromSpec(sel), pod.metadata?.labels)) out.push(pdb);
    } catch {
      /* an invalid selector matches nothing */
    }
  }
  return out;
}

function budgetError(message: string): StatusError {
  const e = tooManyRequests(message, 10);
  e.status.details = { causes: [{ reason: "DisruptionBudget", message }] };
  return e;
}

async function spendBudget(s: Server, pod: KubeObject, dryRun: boolean): Promise<void> {
  const phase = pod.status?.phase;
  // Terminal and pending pods never count against a budget.
  if (phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata?.deletionTimestamp) return;
  const budgets = await matchingBudgets(s, pod);
  if (budgets.length > 1) throw new StatusError({ ...badRequest("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.").status, code: 500, reason: "InternalError" });
  const pdb = budgets[0];
  if (!pdb) return;
  const info = s.registry.lookup("policy", "v1", "poddisruptionbudgets")!;
  await guaranteedUpdate(s, info, pdb.metadata!.namespace, pdb.metadata!.name!, dryRun, (cur) => {
    if ((cur.status?.observedGeneration ?? 0) < (cur.metadata?.generation ?? 0))
      throw budgetError("Cannot evict pod as it would violate the pod's disruption budget. The disruption budget " + cur.metadata!.name + " is still being processed by the server.");
    const allowed = cur.status?.disruptionsAllowed ?? 0;
    if (allowed <= 0)
      throw budgetError(`Cannot evict pod as it would violate the pod's disruption budget. The disruption budget ${cur.metadata!.name} needs ${cur.status?.desiredHealthy ?? 0} healthy pods and has ${cur.status?.currentHealthy ?? 0} currently`);
    cur.status = {
      ...cur.status,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...(cur.status?.disruptedPods ?? {}), [pod.metadata!.name!]: nowRFC3339(s.now().getTime()) },
    };
    delete cur.metadata!.resourceVersion;
    return cur;
  });
}

export async function handleEviction(s: Server, rr: ResourceRequest): Promise<Response> {
  const body = await decodeBody(rr.req, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
  const ev = requireObject(body.value);
  if (ev.metadata?.name && ev.metadata.name !== rr.name) throw badRequest(`name in URL does not match name in Eviction object`);
  const o = ev.deleteOptions ?? {};
  const dry: unknown[] = Array.isArray(o.dryRun) ? o.dryRun : rr.query.getAll("dryRun");
  const { obj: pod } = await getObject(s, rr.info, rr.namespace, rr.name!);
  await spendBudget(s, pod, dry.length > 0);
  await deleteObject(s, rr.info, rr.namespace, rr.name!, {
    gracePeriodSeconds: typeof o.gracePeriodSeconds === "number" ? o.gracePeriodSeconds : undefined,
    propagationPolicy: o.propagationPolicy,
    preconditions: o.preconditions,
    dryRun: dry.length > 0,
  });
  return respond(rr, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
}
