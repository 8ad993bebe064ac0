import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startControllerEnv, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { NODES, PVCS } from "../history/podutil.ts";
import { PVS, SELECTED_NODE, STORAGECLASSES, startLocalPathProvisioner } from "./provisioner.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";

beforeAll(async () => {
  env = await startControllerEnv();
  await env.api.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "node-a", labels: { "kubernetes.io/hostname": "node-a" } } });
  const running = startLocalPathProvisioner(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

describe("local-path provisioner", () => {
  test("default StorageClass, WaitForFirstConsumer binding on the selected node, delete on release", async () => {
    await waitFor(async () => !!(await env.api.client.get<KubeObject>(STORAGECLASSES, "local-path").catch(() => undefined)), 5000, "storage class");
    const sc = await env.api.client.get<KubeObject>(STORAGECLASSES, "local-path");
    expect(sc).toMatchObject({ provisioner: "rancher.io/local-path", volumeBindingMode: "WaitForFirstConsumer", reclaimPolicy: "Delete" });
    expect(sc.metadata!.annotations!["storageclass.kubernetes.io/is-default-class"]).toBe("true");

    const pvc = await env.api.client.create<KubeObject>(PVCS, { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data", namespace: NS }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } } }, { namespace: NS });
    // Not consumed yet: nothing is provisioned.
    await Bun.sleep(100);
    expect((await env.api.client.list(PVS)).items).toHaveLength(0);

    // The scheduler picked a node for a pod using the claim.
    await env.api.client.patch(PVCS, "data", "merge", { metadata: { annotations: { [SELECTED_NODE]: "node-a" } } }, { namespace: NS });
    await waitFor(async () => (await env.api.client.get<KubeObject>(PVCS, "data", { namespace: NS })).status?.phase === "Bound", 5000, "claim bound");
    const bound = await env.api.client.get<KubeObject>(PVCS, "data", { namespace: NS });
    const pvName = `pvc-${pvc.metadata!.uid}`;
    expect(bound.spec.volumeName).toBe(pvName);
    expect(bound.status).toMatchObject({ phase: "Bound", capacity: { storage: "2Gi" }, accessModes: ["ReadWriteOnce"] });
    expect(bound.metadata!.annotations!["pv.kubernetes.io/bind-completed"]).toBe("yes");
    const pv = await env.api.client.get<KubeObject>(PVS, pvName);
    expect(pv.status.phase).toBe("Bound");
    expect(pv.spec).toMatchObject({ hostPath: { path: join(env.ctx.config.localStoragePath, pvName), type: "DirectoryOrCreate" }, storageClassName: "local-path", persistentVolumeReclaimPolicy: "Delete", claimRef: { name: "data", namespace: NS, uid: pvc.metadata!.uid } });
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: "kubernetes.io/hostname", operator: "In", values: ["node-a"] });

    // The kubelet would create the directory; simulate, then release the claim.
    mkdirSync(pv.spec.hostPath.path, { recursive: true });
    writeFileSync(join(pv.spec.hostPath.path, "f"), "x");
    await env.api.client.delete(PVCS, "data", { namespace: NS });
    await waitFor(async () => !(await env.api.client.get(PVCS, "data", { namespace: NS }).catch(() => undefined)), 5000, "claim gone");
    await waitFor(async () => !(await env.api.client.get(PVS, pvName).catch(() => undefined)), 5000, "pv deleted");
    expect(existsSync(pv.spec.hostPath.path)).toBe(false);
  });
});
