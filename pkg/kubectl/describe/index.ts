// Which describer a kind gets, and the extra objects it reads (events, ReplicaSets, pods…).
import type { Ctx } from "../ctx.ts";
import { resolveResource, type ApiResource } from "../discovery.ts";
import { pathFor, query } from "../paths.ts";
import { describeConfigMap, describeGeneric, describeNamespace, describeSecret, describeService, describeServiceAccount } from "./core.ts";
import { describeNode } from "./node.ts";
import { describePV, describePVC, podsUsing } from "./storage.ts";
import { DescribeWriter } from "./gotabwriter.ts";
import { describePod } from "./pod.ts";
import { describeCronJob, describeDaemonSet, describeStatefulSet } from "./sets.ts";
import { describeDeployment, describeJob, describeReplicaSet, podCounts } from "./workloads.ts";

async function list(ctx: Ctx, typed: string, ns: string | undefined, q: Record<string, string | undefined> = {}): Promise<any[]> {
  const res = resolveResource(await ctx.resources(), typed);
  const out: any = await ctx.conn.client.request("GET", pathFor(res, ns) + query(q));
  return out.items ?? [];
}

/** Events about an object (kubectl's searchEvents: involvedObject name/namespace/kind/uid). */
async function eventsFor(ctx: Ctx, obj: any, kind: string): Promise<any[]> {
  const m = obj.metadata ?? {};
  const fs = [`involvedObject.name=${m.name}`, `involvedObject.namespace=${m.namespace ?? ""}`, `involvedObject.kind=${kind}`];
  if (m.uid) fs.push(`involvedObject.uid=${m.uid}`);
  try {
    return await list(ctx, "events", m.namespace || undefined, { fieldSelector: fs.join(",") });
  } catch {
    return [];
  }
}

const selectorQuery = (sel: any) =>
  Object.entries(sel?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

export async function describeObject(ctx: Ctx, res: ApiResource, obj: any, showEvents: boolean, now = Date.now()): Promise<string> {
  const w = new DescribeWriter();
  const ev = async () => (showEvents ? eventsFor(ctx, obj, res.kind) : undefined);
  const ns = obj.metadata?.namespace;
  const key = `${res.group}/${res.kind}`;
  switch (key) {
    case "/Pod":
      describePod(w, obj, await ev(), now);
      break;
    case "apps/Deployment": {
      const rss = (await list(ctx, "replicasets.apps", ns, { labelSelector: selectorQuery(obj.spec?.selector) })).filter((rs) =>
        (rs.metadata.ownerReferences ?? []).some((r: any) => r.controller && r.uid === obj.metadata.uid),
      );
      const rev = (x: any) => Number(x.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? 0);
      const newest = rss.sort((a, b) => rev(b) - rev(a))[0];
      const strip = (t: any) => {
        const c = structuredClone(t ?? {});
        if (c.metadata?.labels) delete c.metadata.labels["pod-template-hash"];
        return c;
      };
      const newRS = newest && Bun.deepEquals(strip(newest.spec?.template), strip(obj.spec?.template)) ? newest : undefined;
      const old = rss.filter((r) => r !== newRS && (r.spec?.replicas ?? 0) > 0);
      describeDeployment(w, obj, old, newRS, await ev(), now);
      break;
    }
    case "apps/ReplicaSet": {
      const pods = await list(ctx, "pods", ns, { labelSelector: selectorQuery(obj.spec?.selector) });
      describeReplicaSet(w, obj, podCounts(pods, obj.metadata.uid), await ev(), now);
      break;
    }
    case "apps/DaemonSet":
    case "apps/StatefulSet": {
      const pods = await list(ctx, "pods", ns, { labelSelector: selectorQuery(obj.spec?.selector) });
      const counts = podCounts(pods, obj.metadata.uid);
      if (res.kind === "DaemonSet") describeDaemonSet(w, obj, counts, await ev(), now);
      else describeStatefulSet(w, obj, counts, await ev(), now);
      break;
    }
    case "batch/CronJob":
      describeCronJob(w, obj, await ev(), now);
      break;
    case "batch/Job":
      describeJob(w, obj, await ev(), now);
      break;
    case "/Service": {
      const slices = await list(ctx, "endpointslices.discovery.k8s.io", ns, { labelSelector: `kubernetes.io/service-name=${obj.metadata.name}` }).catch(() => []);
      describeService(w, obj, slices, await ev(), now);
      break;
    }
    case "/Namespace": {
      const [quotas, limits] = await Promise.all([list(ctx, "resourcequotas", obj.metadata.name).catch(() => []), list(ctx, "limitranges", obj.metadata.name).catch(() => [])]);
      describeNamespace(w, obj, quotas, limits);
      break;
    }
    case "/ConfigMap":
      describeConfigMap(w, obj, await ev(), now);
      break;
    case "/ServiceAccount": {
      const secrets = await list(ctx, "secrets", ns).catch(() => []);
      const tokens = secrets
        .filter((x: any) => x.type === "kubernetes.io/service-account-token" && x.metadata.annotations?.["kubernetes.io/service-account.name"] === obj.metadata.name)
        .map((x: any) => x.metadata.name);
      describeServiceAccount(w, obj, tokens, await ev(), now);
      break;
    }
    case "/PersistentVolumeClaim": {
      const pods = await list(ctx, "pods", ns).catch(() => []);
      describePVC(w, obj, podsUsing(obj, pods), await ev(), now);
      break;
    }
    case "/PersistentVolume":
      describePV(w, obj, await ev(), now);
      break;
    case "/Secret":
      describeSecret(w, obj);
      break;
    case "/Node": {
      const pods = (await list(ctx, "pods", undefined, { fieldSelector: `spec.nodeName=${obj.metadata.name},status.phase!=Failed,status.phase!=Succeeded` }).catch(() => [])) as any[];
      let lease: any;
      try {
        lease = await ctx.conn.client.request("GET", `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(obj.metadata.name)}`);
      } catch {
        lease = undefined;
      }
      describeNode(w, obj, pods, lease, await ev(), now);
      break;
    }
    default:
      describeGeneric(w, obj, await ev(), now);
  }
  return w.toString();
}
