// The built-in local-path provisioner (k3s's rancher.io/local-path, in process): a claim of the
// `local-path` class that the scheduler gave a node (volume.kubernetes.io/selected-node) gets a
// hostPath PV under <localStoragePath>/<pv-name> pinned to that node, and both are bound; a PV
// whose claim is gone is deleted with its directory (reclaimPolicy Delete).
import { rmSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import type { KubeObject } from "../../api/types.ts";
import type { GVR } from "../../client/types.ts";
import type { ControllerContext, ControllerDescriptor } from "../types.ts";
import { metaNamespaceKey } from "../../client/store.ts";
import { startQueueWorker, ignoreAlreadyExists, ignoreNotFound } from "../history/controller.ts";
import { NODES, PVCS } from "../history/podutil.ts";

export const PVS: GVR = { group: "", version: "v1", resource: "persistentvolumes" };
export const STORAGECLASSES: GVR = { group: "storage.k8s.io", version: "v1", resource: "storageclasses" };
export const PROVISIONER = "rancher.io/local-path";
export const CLASS_NAME = "local-path";
export const SELECTED_NODE = "volume.kubernetes.io/selected-node";

export function defaultStorageClass(): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: CLASS_NAME, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

/** The PV for a claim on a node (k3s local-path's shape, hostPath DirectoryOrCreate). */
export function volumeFor(pvc: KubeObject, node: string, hostname: string, root: string, reclaimPolicy = "Delete"): KubeObject {
  const name = `pvc-${pvc.metadata!.uid}`;
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, annotations: { "pv.kubernetes.io/provisioned-by": PROVISIONER, "local.path.provisioner/selected-node": node } },
    spec: {
      accessModes: pvc.spec?.accessModes ?? ["ReadWriteOnce"],
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? "1Gi" },
      claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: pvc.metadata!.namespace, name: pvc.metadata!.name, uid: pvc.metadata!.uid, resourceVersion: pvc.metadata!.resourceVersion },
      hostPath: { path: join(root, name), type: "DirectoryOrCreate" },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [hostname] }] }] } },
      persistentVolumeReclaimPolicy: reclaimPolicy,
      storageClassName: pvc.spec?.storageClassName ?? CLASS_NAME,
      volumeMode: pvc.spec?.volumeMode ?? "Filesystem",
    },
  };
}

export function startLocalPathProvisioner(ctx: ControllerContext, o: { workers?: number } = {}) {
  const pvcs = ctx.informers.forResource<KubeObject>(PVCS);
  const pvs = ctx.informers.forResource<KubeObject>(PVS);
  const nodes = ctx.informers.forResource<KubeObject>(NODES);
  const classes = ctx.informers.forResource<KubeObject>(STORAGECLASSES);
  const root = resolve(ctx.config.localStoragePath);
  const ready = ctx.client.create(STORAGECLASSES, defaultStorageClass()).catch(ignoreAlreadyExists).catch((e) => ctx.logger.warn("creating the local-path StorageClass failed", { err: String(e) }));

  const ours = (pvc: KubeObject): KubeObject | undefined => {
    const name = pvc.spec?.storageClassName;
    const cls = name ? classes.store.get(name) : name === "" ? undefined : classes.store.list().find((c) => c.metadata?.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true");
    return cls?.provisioner === PROVISIONER ? cls : undefined;
  };

  const syncClaim = async (key: string) => {
    const cached = pvcs.store.get(key);
    if (!cached || cached.metadata!.deletionTimestamp) return;
    const cls = ours(cached);
    const node = cached.metadata?.annotations?.[SELECTED_NODE];
    if (!cls || !node) return;
    const pvc = structuredClone(cached);
    const ns = pvc.metadata!.namespace!;
    const pvName = `pvc-${pvc.metadata!.uid}`;
    if (pvc.spec.volumeName && pvc.status?.phase === "Bound") return;
    let pv = pvs.store.get(pvName);
    if (!pv) {
      const hostname = nodes.store.get(node)?.metadata?.labels?.["kubernetes.io/hostname"] ?? node;
      const want = volumeFor({ ...pvc, spec: { ...pvc.spec, storageClassName: cls.metadata!.name } }, node, hostname, root, cls.reclaimPolicy ?? "Delete");
      pv = (await ctx.client.create<KubeObject>(PVS, want).catch(ignoreAlreadyExists)) ?? (await ctx.client.get<KubeObject>(PVS, pvName));
    }
    // Bind both sides, as the PV controller would.
    if (pv.status?.phase !== "Bound") await ctx.client.updateStatus(PVS, { ...pv, status: { phase: "Bound" } });
    if (pvc.spec.volumeName !== pvName) {
      const anns = { ...(pvc.metadata!.annotations ?? {}), "pv.kubernetes.io/bind-completed": "yes", "pv.kubernetes.io/bound-by-controller": "yes", "volume.kubernetes.io/storage-provisioner": PROVISIONER, "volume.beta.kubernetes.io/storage-provisioner": PROVISIONER };
      await ctx.client.patch(PVCS, pvc.metadata!.name!, "merge", { metadata: { annotations: anns }, spec: { volumeName: pvName } }, { namespace: ns });
    }
    const fresh = await ctx.client.get<KubeObject>(PVCS, pvc.metadata!.name!, { namespace: ns });
    await ctx.client.updateStatus(PVCS, { ...fresh, status: { phase: "Bound", accessModes: pv.spec.accessModes, capacity: pv.spec.capacity } }, { namespace: ns });
  };

  const syncVolume = async (name: string) => {
    const pv = pvs.store.get(name);
    if (!pv || pv.metadata?.annotations?.["pv.kubernetes.io/provisioned-by"] !== PROVISIONER || pv.metadata.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref) return;
    const claim = await ctx.client.get<KubeObject>(PVCS, ref.name, { namespace: ref.namespace }).catch(ignoreNotFound);
    if (claim && claim.metadata!.uid === ref.uid) return;
    if (pv.spec.persistentVolumeReclaimPolicy !== "Delete") {
      if (pv.status?.phase !== "Released") await ctx.client.updateStatus(PVS, { ...structuredClone(pv), status: { phase: "Released" } });
      return;
    }
    const path = resolve(pv.spec.hostPath?.path ?? "");
    // Only ever remove a directory of ours.
    if (path.startsWith(root + sep)) rmSync(path, { recursive: true, force: true });
    await ctx.client.delete(PVS, name).catch(ignoreNotFound);
  };

  return startQueueWorker(ctx, { name: "local-path-provisioner", workers: o.workers ?? 2, sync: async (k) => {
    await ready;
    return k.startsWith("pv:") ? syncVolume(k.slice(3)) : syncClaim(k.slice(4));
  } }, (q) => {
    const claim = (x: KubeObject) => q.add(`pvc:${metaNamespaceKey(x)}`);
    const vol = (x: KubeObject) => q.add(`pv:${x.metadata!.name}`);
    const hs = [
      pvcs.addEventHandler({ onAdd: claim, onUpdate: (_a, b) => claim(b), onDelete: (x) => { const n = x.spec?.volumeName; if (n) q.add(`pv:${n}`); } }),
      pvs.addEventHandler({ onAdd: vol, onUpdate: (_a, b) => vol(b) }),
      classes.addEventHandler({ onAdd: () => pvcs.store.list().forEach(claim) }),
    ];
    return () => hs.forEach((h) => h.remove());
  });
}

export const localPathProvisioner: ControllerDescriptor = { name: "local-path-provisioner", start: (ctx) => startLocalPathProvisioner(ctx) };
