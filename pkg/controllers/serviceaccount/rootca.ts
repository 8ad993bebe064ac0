// Root CA publisher: the `kube-root-ca.crt` ConfigMap (key `ca.crt`) in every active
// namespace, restored when deleted or edited.
import type { KubeObject } from "../../api/types.ts";
import { createWorkQueue } from "../../client/index.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { NAMESPACES, ignoreExists } from "./serviceaccounts.ts";

const CONFIGMAPS = { group: "", version: "v1", resource: "configmaps" };
export const ROOT_CA_NAME = "kube-root-ca.crt";
const DESCRIPTION_KEY = "kubernetes.io/description";
const DESCRIPTION =
  "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.";

export function startRootCAPublisher(ctx: ControllerContext): RunningControllers {
  const queue = createWorkQueue<string>();
  const namespaces = ctx.informers.forResource(NAMESPACES);
  const maps = ctx.informers.forResource(CONFIGMAPS, { fieldSelector: `metadata.name=${ROOT_CA_NAME}` });
  namespaces.addEventHandler({ onAdd: (o) => queue.add(o.metadata!.name!), onUpdate: (_o, n) => queue.add(n.metadata!.name!) });
  const byCm = (o: KubeObject) => o.metadata?.name === ROOT_CA_NAME && o.metadata.namespace && queue.add(o.metadata.namespace);
  maps.addEventHandler({ onUpdate: (_o, n) => byCm(n), onDelete: byCm });
  const ca = ctx.config.rootCAPem;

  const sync = async (ns: string) => {
    const n = namespaces.store.get(ns);
    if (!n || n.metadata?.deletionTimestamp || n.status?.phase === "Terminating") return;
    const cm = maps.store.get(`${ns}/${ROOT_CA_NAME}`);
    if (!cm) {
      const obj = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: ROOT_CA_NAME, namespace: ns, annotations: { [DESCRIPTION_KEY]: DESCRIPTION } }, data: { "ca.crt": ca } };
      await ctx.client.create(CONFIGMAPS, obj, { namespace: ns }).catch(ignoreExists);
      return;
    }
    const data = cm.data ?? {};
    if (Object.keys(data).length === 1 && data["ca.crt"] === ca && cm.metadata?.annotations?.[DESCRIPTION_KEY] === DESCRIPTION) return;
    const next = structuredClone(cm);
    next.data = { "ca.crt": ca };
    delete next.binaryData;
    next.metadata!.annotations = { ...(next.metadata!.annotations ?? {}), [DESCRIPTION_KEY]: DESCRIPTION };
    await ctx.client.update(CONFIGMAPS, next, { namespace: ns });
  };
  const running = runController({ name: "root-ca-cert-publisher", workers: 1, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
