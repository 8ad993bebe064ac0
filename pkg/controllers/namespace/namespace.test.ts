import { afterAll, beforeAll, expect, test } from "bun:test";
import { StatusError } from "../../api/errors.ts";
import { startNamespaceController } from "./namespace.ts";
import { startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const NS = { group: "", version: "v1", resource: "namespaces" };
const CM = { group: "", version: "v1", resource: "configmaps" };
const SECRETS = { group: "", version: "v1", resource: "secrets" };
const DEPLOY = { group: "apps", version: "v1", resource: "deployments" };
let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([(ctx) => startNamespaceController(ctx, { recheckMs: 50 })]);
});
afterAll(async () => {
  await t?.stop();
});
const gone = async (name: string) => {
  try {
    await t.client.get(NS, name);
    return false;
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return true;
    throw e;
  }
};

test("deleting a namespace drains its content, reports a finalizer holding it, then removes it", async () => {
  await t.client.create(NS, { apiVersion: "v1", kind: "Namespace", metadata: { name: "doomed" } });
  await t.client.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }, { namespace: "doomed" });
  await t.client.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "held", finalizers: ["example.com/hold"] } }, { namespace: "doomed" });
  await t.client.create(SECRETS, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }, { namespace: "doomed" });
  await t.client.create(DEPLOY, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } } }, { namespace: "doomed" });
  await t.client.delete(NS, "doomed");
  await waitFor(async () => {
    const ns = await t.client.get(NS, "doomed");
    return (ns.status?.conditions ?? []).some((c: any) => c.type === "NamespaceFinalizersRemaining" && c.status === "True");
  }, 10_000, "finalizers-remaining condition");
  const ns = await t.client.get(NS, "doomed");
  expect(ns.status.phase).toBe("Terminating");
  const byType = Object.fromEntries(ns.status.conditions.map((c: any) => [c.type, c]));
  expect(byType.NamespaceContentRemaining.message).toBe("Some resources are remaining: configmaps has 1 resource instances");
  expect(byType.NamespaceFinalizersRemaining.message).toBe("Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances");
  expect(byType.NamespaceDeletionDiscoveryFailure.status).toBe("False");
  expect((await t.client.list(SECRETS, { namespace: "doomed" })).items).toHaveLength(0);
  expect((await t.client.list(DEPLOY, { namespace: "doomed" })).items).toHaveLength(0);
  await t.client.patch(CM, "held", "merge", { metadata: { finalizers: null } }, { namespace: "doomed" });
  await waitFor(() => gone("doomed"), 10_000, "namespace gone");
});
