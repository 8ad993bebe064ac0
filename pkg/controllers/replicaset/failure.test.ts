// Pod creation failing (fault injected into the controllers' client): ReplicaFailure on the
// ReplicaSet and its Deployment, FailedCreate events, and recovery once creation works.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { REPLICA_SET, startReplicaController } from "./replicaset.ts";
import { startDeploymentController } from "../deployment/deployment.ts";
import { startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const DEPLOY = { group: "apps", version: "v1", resource: "deployments" };
const RS = REPLICA_SET.gvr;
const PODS = { group: "", version: "v1", resource: "pods" };
let t: ControllerTest;
let failPods = true;
beforeAll(async () => {
  t = await startControllerTest([startDeploymentController, (c) => startReplicaController(c, REPLICA_SET)], {}, (f) => async (req) => {
    if (failPods && req.method === "POST" && new URL(req.url).pathname.endsWith("/pods")) {
      return new Response(JSON.stringify({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'pods "x" is forbidden: injected', reason: "Forbidden", code: 403 }), { status: 403, headers: { "content-type": "application/json" } });
    }
    return f(req);
  });
});
afterAll(async () => {
  await t?.stop();
});

test("ReplicaFailure while pods cannot be created; cleared once they can", async () => {
  await t.client.create(DEPLOY, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "fail" }, spec: { replicas: 2, selector: { matchLabels: { app: "fail" } }, template: { metadata: { labels: { app: "fail" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } }, { namespace: "default" });
  const rsFailure = async () => {
    const rs = (await t.client.list(RS, { namespace: "default", labelSelector: "app=fail" })).items[0];
    return (rs?.status?.conditions ?? []).find((c: any) => c.type === "ReplicaFailure");
  };
  await waitFor(async () => !!(await rsFailure()), 10_000, "ReplicaFailure on the ReplicaSet");
  expect(await rsFailure()).toMatchObject({ status: "True", reason: "FailedCreate", message: 'pods "x" is forbidden: injected' });
  await waitFor(async () => ((await t.client.get(DEPLOY, "fail", { namespace: "default" })).status?.conditions ?? []).some((c: any) => c.type === "ReplicaFailure" && c.status === "True"), 10_000, "ReplicaFailure on the Deployment");
  const events = (await t.client.list({ group: "", version: "v1", resource: "events" }, { namespace: "default" })).items;
  expect(events.some((e) => e.reason === "FailedCreate" && e.message === 'Error creating: pods "x" is forbidden: injected')).toBe(true);
  failPods = false;
  await waitFor(async () => (await t.client.list(PODS, { namespace: "default", labelSelector: "app=fail" })).items.length === 2 && !(await rsFailure()), 20_000, "recovered");
  await waitFor(async () => !((await t.client.get(DEPLOY, "fail", { namespace: "default" })).status?.conditions ?? []).some((c: any) => c.type === "ReplicaFailure"), 10_000, "deployment condition cleared");
}, 40_000);
