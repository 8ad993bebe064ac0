// VolumeBinding: bound claims must be reachable from the node (PV node affinity); unbound
// WaitForFirstConsumer claims are provisioned for the chosen node (the PVC gets
// volume.kubernetes.io/selected-node, the provisioner does the rest) and the pod is bound
// only once its claims are.
import type { KubeObject } from "../../api/types.ts";
import { parseQuantity } from "../../api/validation/quantity.ts";
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

/** A static PV a delayed claim could bind to on this node (upstream's findMatchingVolume, smallest first). */
export function findStaticPV(c: Claim, ni: NodeInfo, l: VolumeListers): KubeObject | undefined {
  const want = c.pvc.spec?.storageClassName ?? "";
  const size = parseQuantity(c.pvc.spec?.resources?.requests?.storage) ?? 0;
  const modes: string[] = c.pvc.spec?.accessModes ?? [];
  const ref = (pv: KubeObject) => pv.spec?.claimRef as { namespace?: string; name?: string; uid?: string } | undefined;
  const mine = (pv: KubeObject) => ref(pv)?.namespace === c.pvc.metadata?.namespace && ref(pv)?.name === c.pvc.metadata?.name && (!ref(pv)?.uid || ref(pv)?.uid === c.pvc.metadata?.uid);
  const fits = l
    .pvs()
    .filter(
      (pv) =>
        (!ref(pv) || mine(pv)) &&
        !pv.metadata?.deletionTimestamp &&
        (pv.spec?.storageClassName ?? "") === want &&
        (parseQuantity(pv.spec?.capacity?.storage) ?? 0) >= size &&
        modes.every((m) => (pv.spec?.accessModes ?? []).includes(m)) &&
        pvFitsNode(pv, ni) &&
        (mine(pv) || pv.status?.phase === "Available"),
    )
    .sort((a, b) => (parseQuantity(a.spec?.capacity?.storage) ?? 0) - (parseQuantity(b.spec?.capacity?.storage) ?? 0));
  return fits.find(mine) ?? fits[0];
}

export function volumeFilter(s: VolumeState, ni: NodeInfo, l: VolumeListers): Status | undefined {
  for (const c of s.claims) {
    if (c.pv && !pvFitsNode(c.pv, ni)) return unresolvable("VolumeBinding", "node(s) had volume node affinity conflict");
    if (c.delayed && c.staticOnly && !findStaticPV(c, ni, l)) return unresolvable("VolumeBinding", "node(s) didn't find available persistent volumes to bind");
  }
  return undefined;
}
