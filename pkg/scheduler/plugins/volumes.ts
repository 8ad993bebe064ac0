// VolumeBinding: bound claims must be reachable from the node (PV node affinity); unbound
// WaitForFirstConsumer claims are provisioned for the chosen node (the PVC gets
// volume.kubernetes.io/selected-node, the provisioner does the rest) and the pod is bound
// only once its claims are.
import type { KubeObject } from "../../api/types.ts";
import type { NodeInfo } from "../nodeinfo.ts";
import { unresolvable, type Pod, type Status, type NodeSelectorTerm } from "../types.ts";
import { termMatchesNode } from "./helpers.ts";

export const SELECTED_NODE = "volume.kubernetes.io/selected-node";
const NO_PROVISIONER = "kubernetes.io/no-provisioner";

export interface VolumeListers {
  pvc(namespace: string, name: string): KubeObject | undefined;
  pv(name: string): KubeObject | undefined;
  pvs(): KubeObject[];
  storageClass(name: string): KubeObject | undefined;
  defaultStorageClass(): KubeObject | undefined;
}

interface Claim {
  pvc: KubeObject;
  pv?: KubeObject;
  /** Unbound, WaitForFirstConsumer: decided here. */
  delayed: boolean;
  staticOnly: boolean;
}

export interface VolumeState {
  claims: Claim[];
  /** A PreFilter verdict that applies to every node. */
  failure?: string;
}

const claimNames = (pod: Pod) =>
  (pod.spec.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : v.ephemeral ? [`${pod.metadata?.name}-${v.name}`] : []));

export function volumePreFilter(pod: Pod, l: VolumeListers): VolumeState {
  const ns = pod.metadata?.namespace ?? "default";
  const claims: Claim[] = [];
  let immediateUnbound = false;
  for (const name of claimNames(pod)) {
    const pvc = l.pvc(ns, name);
    if (!pvc) return { claims, failure: `persistentvolumeclaim "${name}" not found` };
    if (pvc.metadata?.deletionTimestamp) return { claims, failure: `persistentvolumeclaim "${name}" is being deleted` };
    const volumeName = pvc.spec?.volumeName as string | undefined;
    if (volumeName) {
      claims.push({ pvc, pv: l.pv(volumeName), delayed: false, staticOnly: false });
      continue;
    }
    const scName = pvc.spec?.storageClassName as string | undefined;
    const sc = scName ? l.storageClass(scName) : scName === "" ? undefined : l.defaultStorageClass();
    if (sc?.volumeBindingMode === "WaitForFirstConsumer") claims.push({ pvc, delayed: true, staticOnly: sc.provisioner === NO_PROVISIONER });
    else immediateUnbound = true;
  }
  if (immediateUnbound) return { claims, failure: "pod has unbound immediate PersistentVolumeClaims" };
  return { claims };
}

function pvFitsNode(pv: KubeObject, ni: NodeInfo): boolean {
  const terms = pv.spec?.nodeAffinity?.required?.nodeSelectorTerms as NodeSelectorTerm[] | undefined;
  if (!terms) return true;
  return terms.some((t) => termMatchesNode(t, ni.labels, ni.name));
}

/** A static PV a delayed claim could bind to on this node. */
export function findStaticPV(c: Claim, ni: NodeInfo, l: VolumeListers): KubeObject | undefined {
  const want = c.pvc.spec?.storageClassName ?? "";
  return l.pvs().find(
    (pv) => !pv.spec?.claimRef && pv.status?.phase === "Available" && (pv.spec?.storageClassName ?? "") === want && pvFitsNode(pv, ni),
  );
}

export function volumeFilter(s: VolumeState, ni: NodeInfo, l: VolumeListers): Status | undefined {
  for (const c of s.claims) {
    if (c.pv && !pvFitsNode(c.pv, ni)) return unresolvable("VolumeBinding", "node(s) had volume node affinity conflict");
    if (c.delayed && c.staticOnly && !findStaticPV(c, ni, l)) return unresolvable("VolumeBinding", "node(s) didn't find available persistent volumes to bind");
  }
  return undefined;
}
