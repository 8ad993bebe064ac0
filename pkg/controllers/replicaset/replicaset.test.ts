import { afterAll, beforeAll, expect, test } from "bun:test";
import { REPLICA_SET, REPLICATION_CONTROLLER, startReplicaController } from "./replicaset.ts";
import { startControllerTest, setPodsReady, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const RS = REPLICA_SET.gvr;
const RC = REPLICATION_CONTROLLER.gvr;
const PODS = { group: "", version: "v1", resource: "pods" };
let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([(c) => startReplicaController(c, REPLICA_SET), (c) => startReplicaController(c, REPLICATION_CONTROLLER)]);
});
afterAll(async () => {
  await t?.stop();
});
const tmpl = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: "c", image: "busybox" }] } });
const podsOf = async (app: string) => (await t.client.list(PODS, { namespace: "default", labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

test("replicaset: creates owned pods, reports readiness, scales up and down, prefers deleting not-ready pods", async () => {
  await t.client.create(RS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web" }, spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: tmpl("web") } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("web")).length === 3, 10_000, "3 pods");
  const pods = await podsOf("web");
  for (const p of pods) {
    expect(p.metadata!.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.metadata!.ownerReferences).toEqual([{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: expect.any(String), controller: true, blockOwnerDeletion: true }]);
  }
  await setPodsReady(t.client, "default", pods.slice(0, 2).map((p) => p.metadata!.name!));
  await waitFor(async () => (await t.client.get(RS, "web", { namespace: "default" })).status?.readyReplicas === 2, 10_000, "ready 2");
  const st = (await t.client.get(RS, "web", { namespace: "default" })).status;
  expect(st).toMatchObject({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 });

  await t.client.patch(RS, "web", "merge", { spec: { replicas: 5 } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("web")).length === 5, 10_000, "5 pods");
  await t.client.patch(RS, "web", "merge", { spec: { replicas: 2 } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("web")).length === 2, 10_000, "2 pods");
  // The two ready pods are the ones kept.
  expect((await podsOf("web")).map((p) => p.metadata!.name).sort()).toEqual(pods.slice(0, 2).map((p) => p.metadata!.name).sort());
  await t.client.patch(RS, "web", "merge", { spec: { replicas: 0 } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("web")).length === 0, 10_000, "0 pods");
  await waitFor(async () => (await t.client.get(RS, "web", { namespace: "default" })).status?.replicas === 0, 10_000, "status 0");
  const events = (await t.client.list({ group: "", version: "v1", resource: "events" }, { namespace: "default" })).items;
  expect(events.some((e) => e.reason === "SuccessfulCreate" && /^Created pod: web-/.test(e.message))).toBe(true);
  expect(events.some((e) => e.reason === "SuccessfulDelete" && /^Deleted pod: web-/.test(e.message))).toBe(true);
});

test("replicaset adopts a matching orphan and releases a pod whose labels stop matching", async () => {
  await t.client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: "stray", labels: { app: "adopt" } }, spec: { containers: [{ name: "c", image: "busybox" }] } }, { namespace: "default" });
  await t.client.create(RS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "adopt" }, spec: { replicas: 2, selector: { matchLabels: { app: "adopt" } }, template: tmpl("adopt") } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("adopt")).length === 2, 10_000, "2 pods");
  await waitFor(async () => (await t.client.get(PODS, "stray", { namespace: "default" })).metadata?.ownerReferences?.[0]?.name === "adopt", 10_000, "adopted");
  await t.client.patch(PODS, "stray", "merge", { metadata: { labels: { app: "other" } } }, { namespace: "default" });
  await waitFor(async () => !(await t.client.get(PODS, "stray", { namespace: "default" })).metadata?.ownerReferences, 10_000, "released");
  await waitFor(async () => (await podsOf("adopt")).length === 2, 10_000, "replacement");
});

test("replicationcontroller shares the logic", async () => {
  await t.client.create(RC, { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "rc" }, spec: { replicas: 2, selector: { app: "rc" }, template: tmpl("rc") } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("rc")).length === 2, 10_000, "2 pods");
  expect((await podsOf("rc"))[0]!.metadata!.ownerReferences![0]).toMatchObject({ apiVersion: "v1", kind: "ReplicationController", name: "rc" });
  await waitFor(async () => (await t.client.get(RC, "rc", { namespace: "default" })).status?.replicas === 2, 10_000, "rc status");
});

test("minReadySeconds: ready pods count as available only after the delay", async () => {
  await t.client.create(RS, { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "slow" }, spec: { replicas: 2, minReadySeconds: 3, selector: { matchLabels: { app: "slow" } }, template: tmpl("slow") } }, { namespace: "default" });
  await waitFor(async () => (await podsOf("slow")).length === 2, 10_000, "2 pods");
  const readyAt = Date.now();
  await setPodsReady(t.client, "default", (await podsOf("slow")).map((p) => p.metadata!.name!));
  await waitFor(async () => (await t.client.get(RS, "slow", { namespace: "default" })).status?.readyReplicas === 2, 10_000, "ready");
  expect((await t.client.get(RS, "slow", { namespace: "default" })).status?.availableReplicas).toBeUndefined();
  await waitFor(async () => (await t.client.get(RS, "slow", { namespace: "default" })).status?.availableReplicas === 2, 10_000, "available");
  // lastTransitionTime has one-second resolution: at least 2 s of the 3 s must have passed.
  expect(Date.now() - readyAt).toBeGreaterThanOrEqual(1900);
}, 20_000);
