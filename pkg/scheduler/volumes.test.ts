// VolumeBinding: missing and immediate-unbound claims, WaitForFirstConsumer provisioning
// through volume.kubernetes.io/selected-node, PV node affinity.
import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import type { KubeObject } from "../api/types.ts";
import { waitFor } from "../client/test-env.ts";
import { simNodeSpecs } from "../../test/fixtures/simnodes.ts";
import { startSchedEnv, type SchedEnv } from "./testutil.ts";
import { PVCS, PVS, STORAGE_CLASSES } from "./types.ts";

setDefaultTimeout(30_000);
let env: SchedEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const claim = (name: string, sc: string): KubeObject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name, namespace: "default" },
  spec: { accessModes: ["ReadWriteOnce"], storageClassName: sc, resources: { requests: { storage: "1Gi" } } },
});
const withClaim = (c: string) => ({ volumes: [{ name: "data", persistentVolumeClaim: { claimName: c } }] });

describe("volume binding", () => {
  test("missing claim and unbound Immediate claim are unresolvable", async () => {
    env = await startSchedEnv(simNodeSpecs(2, "node"));
    const c = env.api.client;
    await env.createPod("nopvc", withClaim("ghost"));
    expect((await env.waitEvent("nopvc", "FailedScheduling")).message).toBe(
      '0/2 nodes are available: persistentvolumeclaim "ghost" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    await c.create(STORAGE_CLASSES, { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "now" }, provisioner: "example.com/x", volumeBindingMode: "Immediate" });
    await c.create(PVCS, claim("imm", "now"), { namespace: "default" });
    await env.createPod("immpod", withClaim("imm"));
    expect((await env.waitEvent("immpod", "FailedScheduling")).message).toBe(
      "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
    );
  });

  test("WaitForFirstConsumer: the claim gets selected-node; the pod binds once the claim is bound there", async () => {
    env = await startSchedEnv(simNodeSpecs(2, "node"));
    const c = env.api.client;
    await c.create(STORAGE_CLASSES, { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "local" }, provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer" });
    await c.create(PVCS, claim("data", "local"), { namespace: "default" });
    await env.createPod("app", { ...withClaim("data"), nodeSelector: { "kubernetes.io/hostname": "node-1" } });
    const getClaim = () => c.get<KubeObject>(PVCS, "data", { namespace: "default" });
    await waitFor(async () => !!(await getClaim()).metadata?.annotations?.["volume.kubernetes.io/selected-node"], 10_000, "selected-node");
    const pvc = await getClaim();
    expect(pvc.metadata!.annotations!["volume.kubernetes.io/selected-node"]).toBe("node-1");
    // Not bound before the claim is.
    expect((await env.getPod("app")).spec.nodeName).toBeUndefined();
    // Play the provisioner: a PV pinned to node-1, bound to the claim.
    await c.create(PVS, {
      apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-data" },
      spec: {
        capacity: { storage: "1Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "local", hostPath: { path: "/tmp/x" },
        claimRef: { namespace: "default", name: "data", uid: pvc.metadata!.uid },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-1"] }] }] } },
      },
    });
    const cur = await c.get(PVCS, "data", { namespace: "default" });
    await c.update(PVCS, { ...cur, spec: { ...cur.spec, volumeName: "pv-data" } }, { namespace: "default" });
    const cur2 = await c.get(PVCS, "data", { namespace: "default" });
    await c.updateStatus(PVCS, { ...cur2, status: { phase: "Bound", accessModes: ["ReadWriteOnce"], capacity: { storage: "1Gi" } } }, { namespace: "default" });
    expect(await env.waitBound("app")).toBe("node-1");
    // A second pod using the bound claim must follow the PV's node affinity.
    await env.createPod("reader", withClaim("data"));
    expect(await env.waitBound("reader")).toBe("node-1");
    await env.createPod("elsewhere", { ...withClaim("data"), nodeSelector: { "kubernetes.io/hostname": "node-0" } });
    expect((await env.waitEvent("elsewhere", "FailedScheduling")).message).toStartWith(
      "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had volume node affinity conflict.",
    );
  });
});

describe("static local volumes (no provisioner)", () => {
  test("the pod goes where a matching Available PV is; the PV is pre-bound to the claim", async () => {
    env = await startSchedEnv(simNodeSpecs(3, "node"));
    const c = env.api.client;
    await c.create(STORAGE_CLASSES, { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "manual" }, provisioner: "kubernetes.io/no-provisioner", volumeBindingMode: "WaitForFirstConsumer" });
    await c.create(PVCS, claim("local", "manual"), { namespace: "default" });
    await env.createPod("none", withClaim("local"));
    expect((await env.waitEvent("none", "FailedScheduling")).message).toBe(
      "0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await c.delete({ group: "", version: "v1", resource: "pods" }, "none", { namespace: "default", gracePeriodSeconds: 0 });
    const pv = await c.create<KubeObject>(PVS, {
      apiVersion: "v1", kind: "PersistentVolume", metadata: { name: "pv-local" },
      spec: {
        capacity: { storage: "5Gi" }, accessModes: ["ReadWriteOnce"], storageClassName: "manual", local: { path: "/mnt/disk" },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: ["node-2"] }] }] } },
      },
    });
    await c.updateStatus(PVS, { ...pv, status: { phase: "Available" } });
    await env.createPod("user", withClaim("local"));
    await waitFor(async () => !!(await c.get<KubeObject>(PVS, "pv-local")).spec?.claimRef, 10_000, "claimRef on the PV");
    const bound = await c.get<KubeObject>(PVS, "pv-local");
    expect(bound.spec!.claimRef).toMatchObject({ namespace: "default", name: "local" });
    // Play the PV controller: finish the binding; the pod then binds to the PV's node.
    const pvc = await c.get<KubeObject>(PVCS, "local", { namespace: "default" });
    const upd = await c.update<KubeObject>(PVCS, { ...pvc, spec: { ...pvc.spec, volumeName: "pv-local" } }, { namespace: "default" });
    await c.updateStatus(PVCS, { ...upd, status: { phase: "Bound" } }, { namespace: "default" });
    expect(await env.waitBound("user")).toBe("node-2");
  });
});
