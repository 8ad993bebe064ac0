// NoExecute taint eviction (upstream taint-eviction-controller): pods on a node with NoExecute
// taints they do not tolerate are deleted at once; tolerated ones after tolerationSeconds.
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { createWorkQueue, INDEX_NODE_NAME, metaNamespaceKey, splitKey } from "../../client/index.ts";
import { runController } from "../shared/runner.ts";
import type { ControllerContext, RunningControllers } from "../types.ts";
import { PODS } from "../replicaset/replicaset.ts";
import { NODES } from "./lifecycle.ts";
import { evictionTime } from "./taints.ts";

export function startTaintEviction(ctx: ControllerContext): RunningControllers {
  const queue = createWorkQueue<string>();
  const nodes = ctx.informers.forResource(NODES);
  const pods = ctx.informers.forResource(PODS);
  const recorder = ctx.recorder("taint-eviction-controller");
  const enqueuePods = (n: KubeObject) => {
    for (const p of pods.store.byIndex(INDEX_NODE_NAME, n.metadata!.name!)) queue.add(metaNamespaceKey(p));
  };
  nodes.addEventHandler({ onAdd: enqueuePods, onUpdate: (_o, n) => enqueuePods(n) });
  pods.addEventHandler({ onAdd: (p) => queue.add(metaNamespaceKey(p)), onUpdate: (_o, p) => queue.add(metaNamespaceKey(p)) });

  const sync = async (key: string) => {
    const p = pods.store.get(key);
    if (!p || p.metadata?.deletionTimestamp || !p.spec?.nodeName) return;
    const node = nodes.store.get(p.spec.nodeName);
    if (!node) return;
    const when = evictionTime(node.spec?.taints ?? [], p.spec?.tolerations ?? []);
    if (when === "never") return;
    const now = ctx.config.now().getTime();
    if (when !== "now" && when > now) {
      queue.addAfter(key, when - now);
      return;
    }
    const { namespace, name } = splitKey(key);
    recorder.event(p, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${namespace}/${name}`, { apiVersion: "v1", kind: "Pod" });
    try {
      await ctx.client.delete(PODS, name, { namespace, preconditions: { uid: p.metadata!.uid! } });
    } catch (e) {
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
    }
  };
  const running = runController({ name: "taint-eviction", workers: 2, queue, sync, logger: ctx.logger });
  return { stop: () => running.stop() };
}
