import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startNodeLifecycle } from "./lifecycle.ts";
import { startTaintEviction } from "./eviction.ts";
import { evictionTime } from "./taints.ts";
import { setPodsReady, startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const PODS = { group: "", version: "v1", resource: "pods" };
const NODES = { group: "", version: "v1", resource: "nodes" };
const LEASES = { group: "coordination.k8s.io", version: "v1", resource: "leases" };
const NS = "default";

describe("evictionTime", () => {
  const taint = { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2026-01-01T00:00:00Z" };
  test("untolerated: now; tolerated without seconds: never; shortest tolerationSeconds wins", () => {
    expect(evictionTime([taint], [])).toBe("now");
    expect(evictionTime([taint], [{ operator: "Exists" }])).toBe("never");
    expect(evictionTime([taint], [{ key: taint.key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }, { operator: "Exists", tolerationSeconds: 10 }])).toBe(Date.parse(taint.timeAdded) + 10_000);
    expect(evictionTime([{ ...taint, effect: "NoSchedule" }], [])).toBe("never");
  });
});

let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([(c) => startNodeLifecycle(c, { monitorPeriodMs: 50 }), startTaintEviction], { nodeMonitorGracePeriodMs: 600 });
});
afterAll(async () => {
  await t?.stop();
});

const now = () => new Date().toISOString().replace("Z", "000Z");
const nodeReady = async (status: string) => {
  const n = await t.client.get(NODES, "n1");
  const ts = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  n.status = { ...(n.status ?? {}), conditions: [{ type: "Ready", status, reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: ts, lastTransitionTime: ts }] };
  await t.client.updateStatus(NODES, n);
};
const pod = (name: string, tolerations?: unknown[]) => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { nodeName: "n1", containers: [{ name: "c", image: "busybox" }], ...(tolerations ? { tolerations } : {}) } });
const getNode = () => t.client.get(NODES, "n1");
const taintKeys = async () => ((await getNode()).spec?.taints ?? []).map((x: any) => `${x.key}:${x.effect}`).sort();
const deleting = async (name: string) => !!(await t.client.get(PODS, name, { namespace: NS }).catch(() => ({ metadata: { deletionTimestamp: "gone" } }))).metadata?.deletionTimestamp;

test("a node whose lease stops goes Unknown, is tainted, its pods go not ready and are evicted per tolerations", async () => {
  await t.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
  await nodeReady("True");
  await t.client.create(LEASES, { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "n1" }, spec: { holderIdentity: "n1", leaseDurationSeconds: 40, renewTime: now() } }, { namespace: "kube-node-lease" });
  // Admission gives every pod 300 s default tolerations for these taints; 0 s means at once.
  await t.client.create(PODS, pod("plain", [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 0 }]), { namespace: NS });
  await t.client.create(PODS, pod("brief", [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 3 }]), { namespace: NS });
  await t.client.create(PODS, pod("forever", [{ operator: "Exists" }]), { namespace: NS });
  await setPodsReady(t.client, NS, ["plain", "brief", "forever"]);
  // Renewals keep it healthy past the grace period.
  for (let i = 0; i < 8; i++) {
    await t.client.patch(LEASES, "n1", "merge", { spec: { renewTime: now() } }, { namespace: "kube-node-lease" });
    await Bun.sleep(100);
  }
  expect(await taintKeys()).toEqual([]);
  const stoppedAt = Date.now();
  await waitFor(async () => (await getNode()).status.conditions.find((c: any) => c.type === "Ready").status === "Unknown", 10_000, "node Unknown");
  expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(500);
  const ready = (await getNode()).status.conditions.find((c: any) => c.type === "Ready");
  expect(ready).toMatchObject({ reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." });
  await waitFor(async () => (await taintKeys()).length === 2, 10_000, "tainted");
  const taintedAt = Date.now();
  expect(await taintKeys()).toEqual(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]);
  await waitFor(() => deleting("plain"), 10_000, "untolerating pod evicted");
  const f = await t.client.get(PODS, "forever", { namespace: NS });
  expect(f.status.conditions.find((c: any) => c.type === "Ready").status).toBe("False");
  expect(await deleting("brief")).toBe(false);
  await waitFor(() => deleting("brief"), 10_000, "pod evicted after tolerationSeconds");
  // timeAdded has one-second resolution, so 3 s of toleration is at least 2 s here.
  expect(Date.now() - taintedAt).toBeGreaterThanOrEqual(1900);
  expect(await deleting("forever")).toBe(false);

  // The kubelet comes back: taints go.
  await t.client.patch(LEASES, "n1", "merge", { spec: { renewTime: now() } }, { namespace: "kube-node-lease" });
  await nodeReady("True");
  await waitFor(async () => (await taintKeys()).length === 0, 10_000, "untainted");
  // Ready=False from the kubelet means not-ready taints.
  await nodeReady("False");
  await waitFor(async () => (await taintKeys()).join() === "node.kubernetes.io/not-ready:NoExecute,node.kubernetes.io/not-ready:NoSchedule", 10_000, "not-ready taints");
}, 60_000);
