import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPodGC } from "./podgc.ts";
import { startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const PODS = { group: "", version: "v1", resource: "pods" };
const NODES = { group: "", version: "v1", resource: "nodes" };
const NS = "default";
let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([(c) => startPodGC(c, { periodMs: 50, quarantineMs: 200 })], { terminatedPodGCThreshold: 2 });
});
afterAll(async () => {
  await t?.stop();
});
const names = async () => (await t.client.list(PODS, { namespace: NS })).items.map((p) => p.metadata!.name!).sort();
const mk = async (name: string, nodeName: string, phase?: string) => {
  const p = await t.client.create(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { nodeName, containers: [{ name: "c", image: "busybox" }] } }, { namespace: NS });
  if (phase) {
    p.status = { ...(p.status ?? {}), phase };
    await t.client.updateStatus(PODS, p, { namespace: NS });
  }
};

test("terminated pods over the threshold go oldest first; pods of a vanished node go after the quarantine", async () => {
  await t.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "n1" } });
  await mk("live", "n1", "Running");
  for (const n of ["done-1", "done-2", "done-3", "done-4"]) {
    await mk(n, "n1", "Succeeded");
    await Bun.sleep(1100); // creationTimestamp has one-second resolution: keep the order observable
  }
  await waitFor(async () => (await names()).length === 3, 10_000, "terminated trimmed to 2");
  expect(await names()).toEqual(["done-3", "done-4", "live"]);

  await mk("lost", "ghost-node", "Running");
  const start = Date.now();
  await waitFor(async () => !(await names()).includes("lost"), 10_000, "orphan collected");
  expect(Date.now() - start).toBeGreaterThanOrEqual(200);
  expect(await names()).toContain("live");
}, 30_000);

test("pods terminating on a not-ready node tainted out-of-service are force-deleted", async () => {
  await t.client.create(NODES, { apiVersion: "v1", kind: "Node", metadata: { name: "n2" } });
  await mk("stuck", "n2", "Running");
  await t.client.delete(PODS, "stuck", { namespace: NS, gracePeriodSeconds: 300 });
  const p = await t.client.get(PODS, "stuck", { namespace: NS });
  expect(p.metadata!.deletionTimestamp).toBeTruthy();
  await t.client.patch(NODES, "n2", "merge", { spec: { taints: [{ key: "node.kubernetes.io/out-of-service", value: "nodeshutdown", effect: "NoExecute" }] } });
  await waitFor(async () => !(await names()).includes("stuck"), 10_000, "stuck pod force-deleted");
}, 20_000);
