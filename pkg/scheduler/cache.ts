// The scheduler's view of the cluster: node infos updated incrementally from informer events,
// plus "assumed" pods (chosen a node, binding in flight) so the next pod sees them at once.
import { NodeInfo } from "./nodeinfo.ts";
import { newPodInfo, podKey, type PodInfo } from "./podinfo.ts";
import type { Node, Pod } from "./types.ts";

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export class SchedulerCache {
  readonly nodes = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  /** Bumped on every change that can make an unschedulable pod schedulable. */
  generation = 0;

  nodeList(): NodeInfo[] {
    return [...this.nodes.values()];
  }

  addOrUpdateNode(node: Node) {
    const name = node.metadata?.name ?? "";
    const ni = this.nodes.get(name);
    if (ni) ni.setNode(node);
    else {
      const fresh = new NodeInfo(node);
      for (const s of this.podStates.values()) if (s.nodeName === name) fresh.addPod(s.info);
      this.nodes.set(name, fresh);
    }
    this.generation++;
  }

  removeNode(name: string) {
    this.nodes.delete(name);
    this.generation++;
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  hasPod(key: string): boolean {
    return this.podStates.has(key);
  }

  /** Counts the pod on `nodeName` before the binding is confirmed. */
  assumePod(pod: Pod, nodeName: string): PodInfo {
    const info = newPodInfo({ ...pod, spec: { ...pod.spec, nodeName } });
    this.put({ info, nodeName, assumed: true });
    return info;
  }

  /** Binding failed: the assumed pod no longer occupies its node. */
  forgetPod(key: string) {
    const s = this.podStates.get(key);
    if (s?.assumed) this.drop(key);
  }

  /** An assigned pod seen through the informer (confirms an assumed one). */
  addOrUpdatePod(pod: Pod) {
    const nodeName = pod.spec.nodeName ?? "";
    const key = podKey(pod);
    const prev = this.podStates.get(key);
    // Same pod on the same node with unchanged scheduling inputs: keep the old info (status churn is frequent).
    if (prev && !prev.assumed && prev.nodeName === nodeName && sameSchedulingInputs(prev.info.pod, pod)) {
      prev.info.pod = pod;
      return;
    }
    this.put({ info: newPodInfo(pod), nodeName, assumed: false });
  }

  removePod(pod: Pod) {
    this.drop(podKey(pod));
  }

  podInfo(key: string): PodInfo | undefined {
    return this.podStates.get(key)?.info;
  }

  private put(s: PodState) {
    this.drop(s.info.key);
    this.podStates.set(s.info.key, s);
    this.nodes.get(s.nodeName)?.addPod(s.info);
    this.generation++;
  }

  private drop(key: string) {
    const s = this.podStates.get(key);
    if (!s) return;
    this.podStates.delete(key);
    this.nodes.get(s.nodeName)?.removePod(key);
    this.generation++;
  }
}

/** Labels, requests, ports and affinity are what the cache derives from a pod. */
function sameSchedulingInputs(a: Pod, b: Pod): boolean {
  if (a.metadata?.uid !== b.metadata?.uid) return false;
  if (a.spec !== b.spec && JSON.stringify(a.spec) !== JSON.stringify(b.spec)) return false;
  return JSON.stringify(a.metadata?.labels ?? {}) === JSON.stringify(b.metadata?.labels ?? {}) && !!a.metadata?.deletionTimestamp === !!b.metadata?.deletionTimestamp;
}
