// describe persistentvolumeclaim and persistentvolume.
import { accessModes } from "../../api/tables/columns.ts";
import type { DescribeWriter } from "./gotabwriter.ts";
import { annotationsMultiline, describeEvents, labelsMultiline, rfc1123z, since } from "./common.ts";

/** Go's %v of a string slice: `[a b]`. */
const goList = (xs: string[] | undefined) => `[${(xs ?? []).join(" ")}]`;

/** Pods that mount the claim (or own it). */
export function podsUsing(pvc: any, pods: any[]): string[] {
  const out = pods.filter((p) => (p.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
  for (const ref of pvc.metadata.ownerReferences ?? []) {
    if (ref.kind !== "Pod") continue;
    const owner = pods.find((p) => p.metadata.uid === ref.uid);
    if (owner && !out.includes(owner)) out.push(owner);
  }
  return out.map((p) => p.metadata.name).sort();
}

export function describePVC(w: DescribeWriter, pvc: any, usedBy: string[], events: any[] | undefined, now: number): void {
  const m = pvc.metadata;
  const spec = pvc.spec ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  w.write(0, `Namespace:\t${m.namespace}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? m.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? ""}\n`);
  w.write(0, m.deletionTimestamp ? `Status:\tTerminating (lasts ${since(m.deletionTimestamp, now)})\n` : `Status:\t${pvc.status?.phase ?? ""}\n`);
  w.write(0, `Volume:\t${spec.volumeName ?? ""}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `Finalizers:\t${goList(m.finalizers)}\n`);
  const bound = !!spec.volumeName;
  w.write(0, `Capacity:\t${bound ? (pvc.status?.capacity?.storage ?? "") : ""}\n`);
  w.write(0, `Access Modes:\t${bound ? accessModes(pvc.status?.accessModes) : ""}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  if (spec.dataSource) {
    w.write(0, "DataSource:\n");
    if (spec.dataSource.apiGroup) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
    w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
    w.write(1, `Name:\t${spec.dataSource.name}\n`);
  }
  w.write(0, "Used By:\t");
  if (!usedBy.length) w.write(0, "<none>\n");
  else usedBy.forEach((n, i) => w.write(0, `${i ? "\t" : ""}${n}\n`));
  const conds = pvc.status?.conditions ?? [];
  if (conds.length) {
    w.write(0, "Conditions:\n");
    w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n");
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}\n`);
  }
  describeEvents(w, events, now);
}

export function describePV(w: DescribeWriter, pv: any, events: any[] | undefined, now: number): void {
  const m = pv.metadata;
  const spec = pv.spec ?? {};
  w.write(0, `Name:\t${m.name}\n`);
  labelsMultiline(w, "Labels", m.labels);
  annotationsMultiline(w, "Annotations", m.annotations);
  w.write(0, `Finalizers:\t${goList(m.finalizers)}\n`);
  w.write(0, `StorageClass:\t${spec.storageClassName ?? m.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? ""}\n`);
  w.write(0, m.deletionTimestamp ? `Status:\tTerminating (lasts ${since(m.deletionTimestamp, now)})\n` : `Status:\t${pv.status?.phase ?? ""}\n`);
  w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : ""}\n`);
  w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ""}\n`);
  w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
  if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
  w.write(0, `Capacity:\t${spec.capacity?.storage ?? "0"}\n`);
  const req = spec.nodeAffinity?.required;
  if (!req) w.write(0, "Node Affinity:\t<none>\n");
  else {
    w.write(0, "Node Affinity:\t\n");
    const terms: any[] = req.nodeSelectorTerms ?? [];
    w.write(1, `Required Terms:\t${terms.length ? "" : "<none>"}\n`);
    terms.forEach((t, i) => {
      const exprs: any[] = t.matchExpressions ?? [];
      w.write(2, `Term ${i}:\t`);
      if (!exprs.length) w.write(0, "<none>\n");
      exprs.forEach((e, j) => {
        if (j) w.write(2, "\t");
        w.write(0, `${e.key} ${String(e.operator).toLowerCase()}${e.values?.length ? ` [${e.values.join(", ")}]` : ""}\n`);
      });
    });
  }
  w.write(0, `Message:\t${pv.status?.message ?? ""}\n`);
  w.write(0, "Source:\n");
  if (spec.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type || "<none>"}\n`);
  else if (spec.local) w.write(2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
  else w.write(1, "<unknown>\n");
  describeEvents(w, events, now);
}
