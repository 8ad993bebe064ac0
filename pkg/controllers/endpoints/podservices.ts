// Shared by the Endpoints and EndpointSlice controllers: which services select a pod, how a
// service port's targetPort resolves on a pod (podutil.FindPort), and the pod's hostname.
import type { KubeObject } from "../../api/types.ts";
import { labelSelectorFromSpec, matchesLabels } from "../../api/selectors/index.ts";
import { INDEX_NAMESPACE, metaNamespaceKey } from "../../client/index.ts";
import type { EventHandler, SharedInformer, WorkQueue } from "../../client/types.ts";

export const SERVICES = { group: "", version: "v1", resource: "services" };

/** The API server maintains default/kubernetes itself. */
export const isAPIService = (key: string) => key === "default/kubernetes";

export const hasSelector = (svc: KubeObject) => !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
export const selects = (svc: KubeObject, pod: KubeObject) =>
  hasSelector(svc) && matchesLabels(labelSelectorFromSpec({ matchLabels: svc.spec.selector }), pod.metadata?.labels);

/** Pod handlers that enqueue every service selecting the pod (before and after a change). */
export function enqueueServicesForPod(queue: WorkQueue<string>, services: SharedInformer): EventHandler {
  const enqueue = (p: KubeObject) => {
    for (const s of services.store.byIndex(INDEX_NAMESPACE, p.metadata?.namespace ?? "")) if (selects(s, p)) queue.add(metaNamespaceKey(s));
  };
  return {
    onAdd: enqueue,
    onUpdate(old, cur) {
      enqueue(cur);
      if (JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {})) enqueue(old);
    },
    onDelete: enqueue,
  };
}

/** FindPort: a named targetPort is looked up among the pod's container ports. */
export function findPort(pod: KubeObject, sp: { port: number; targetPort?: number | string; protocol?: string }): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === "number") return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])])
    for (const p of c.ports ?? []) if (p.name === tp && (p.protocol ?? "TCP") === (sp.protocol ?? "TCP")) return p.containerPort;
  return undefined;
}

/** The pod's DNS hostname when it sits under the service as its subdomain. */
export const podHostname = (pod: KubeObject, svc: KubeObject): string | undefined =>
  pod.spec?.hostname && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace ? pod.spec.hostname : undefined;

export const isPodReadyCond = (pod: KubeObject) => (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True");
export const podIP = (pod: KubeObject): string | undefined => pod.status?.podIP || pod.status?.podIPs?.[0]?.ip || undefined;
export const isTerminal = (pod: KubeObject) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
