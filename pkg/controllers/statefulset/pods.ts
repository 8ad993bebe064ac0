// StatefulSet identity: `<set>-<ordinal>` pods with stable hostname/subdomain, their labels,
// and the `<template>-<set>-<ordinal>` claims from volumeClaimTemplates.
import type { KubeObject } from "../../api/types.ts";
import { podFromTemplate } from "../history/podutil.ts";
import { REVISION_HASH_LABEL } from "../history/revision.ts";

export const STS_KIND = { apiVersion: "apps/v1", kind: "StatefulSet" };
export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

/** The ordinal of a pod named `<set>-<n>`, or -1. */
export function ordinalOf(set: KubeObject, pod: KubeObject): number {
  const prefix = `${set.metadata!.name}-`;
  const name = pod.metadata?.name ?? "";
  if (!name.startsWith(prefix)) return -1;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : -1;
}

export const claimName = (tmpl: KubeObject, set: KubeObject, ordinal: number) => `${tmpl.metadata!.name}-${set.metadata!.name}-${ordinal}`;

/** A pod for `ordinal` from the template stored at `revisionHash` (the caller picks current/update). */
export function statefulPod(set: KubeObject, template: KubeObject, ordinal: number, revisionHash: string): KubeObject {
  const pod = podFromTemplate(template, set, STS_KIND);
  const name = `${set.metadata!.name}-${ordinal}`;
  pod.metadata!.name = name;
  pod.metadata!.labels = { ...pod.metadata!.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH_LABEL]: revisionHash };
  pod.spec.hostname = name;
  if (set.spec.serviceName) pod.spec.subdomain = set.spec.serviceName;
  const vols: KubeObject[] = [...(pod.spec.volumes ?? [])];
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const v = { name: t.metadata.name, persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } };
    const i = vols.findIndex((x) => x.name === v.name);
    if (i >= 0) vols[i] = v;
    else vols.push(v);
  }
  if (vols.length) pod.spec.volumes = vols;
  return pod;
}

/** The claim for one template and ordinal: template labels plus the set's selector labels. */
export function statefulClaim(set: KubeObject, tmpl: KubeObject, ordinal: number): KubeObject {
  const c = structuredClone(tmpl);
  c.apiVersion = "v1";
  c.kind = "PersistentVolumeClaim";
  c.metadata = {
    ...(c.metadata ?? {}),
    name: claimName(tmpl, set, ordinal),
    namespace: set.metadata!.namespace,
    labels: { ...(c.metadata?.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) },
  };
  delete c.status;
  return c;
}
