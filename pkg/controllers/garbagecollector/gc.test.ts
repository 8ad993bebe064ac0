import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../api/types.ts";
import { StatusError } from "../../api/errors.ts";
import { startGarbageCollector } from "./gc.ts";
import { startControllerTest, waitFor, type ControllerTest } from "./test-ctx.ts";

const CM = { group: "", version: "v1", resource: "configmaps" };
const SECRETS = { group: "", version: "v1", resource: "secrets" };
let t: ControllerTest;

beforeAll(async () => {
  t = await startControllerTest([(ctx) => startGarbageCollector(ctx, { rediscoverMs: 60_000 })]);
});
afterAll(async () => {
  await t?.stop();
});

const exists = async (gvr: typeof CM, name: string) => {
  try {
    return await t.client.get(gvr, name, { namespace: "default" });
  } catch (e) {
    if (e instanceof StatusError && e.code === 404) return undefined;
    throw e;
  }
};
const owner = (name: string) => t.client.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name } }, { namespace: "default" });
const dependent = (gvr: typeof CM, kind: string, name: string, o: KubeObject, block = true) =>
  t.client.create(gvr, { apiVersion: "v1", kind, metadata: { name, ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: o.metadata!.name!, uid: o.metadata!.uid!, blockOwnerDeletion: block }] } }, { namespace: "default" });

describe("garbage collector", () => {
  test("background: dependents of a deleted owner are deleted", async () => {
    const o = await owner("bg");
    await dependent(SECRETS, "Secret", "bg-a", o);
    await dependent(CM, "ConfigMap", "bg-b", o);
    await t.client.delete(CM, "bg", { namespace: "default", propagationPolicy: "Background" });
    await waitFor(async () => !(await exists(SECRETS, "bg-a")) && !(await exists(CM, "bg-b")), 10_000, "dependents gone");
  });

  test("a dependent whose owner never existed is deleted; one with a live owner stays", async () => {
    const o = await owner("alive");
    await dependent(CM, "ConfigMap", "kept", o);
    await t.client.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stray", ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "ghost", uid: "00000000-0000-0000-0000-000000000001" }] } }, { namespace: "default" });
    await waitFor(async () => !(await exists(CM, "stray")), 10_000, "stray deleted");
    expect(await exists(CM, "kept")).toBeDefined();
  });

  test("a dependent with one gone owner and one live owner only loses the dangling reference", async () => {
    const o = await owner("two-a");
    const dep = await t.client.create(CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "two-dep", ownerReferences: [
      { apiVersion: "v1", kind: "ConfigMap", name: "two-a", uid: o.metadata!.uid! },
      { apiVersion: "v1", kind: "ConfigMap", name: "two-ghost", uid: "00000000-0000-0000-0000-000000000002" },
    ] } }, { namespace: "default" });
    expect(dep.metadata!.ownerReferences).toHaveLength(2);
    await waitFor(async () => (await exists(CM, "two-dep"))?.metadata?.ownerReferences?.length === 1, 10_000, "dangling ref removed");
    expect((await exists(CM, "two-dep"))!.metadata!.ownerReferences![0]!.uid).toBe(o.metadata!.uid!);
  });

  test("foreground: the owner waits for blocking dependents, then goes", async () => {
    const o = await owner("fg");
    await dependent(CM, "ConfigMap", "fg-a", o);
    // A finalizer holds the dependent so the owner's wait is observable.
    await t.client.patch(CM, "fg-a", "merge", { metadata: { finalizers: ["test/hold"] } }, { namespace: "default" });
    await t.client.delete(CM, "fg", { namespace: "default", propagationPolicy: "Foreground" });
    await waitFor(async () => !!(await exists(CM, "fg-a"))?.metadata?.deletionTimestamp, 10_000, "dependent deleting");
    const held = await exists(CM, "fg");
    expect(held?.metadata?.finalizers).toEqual(["foregroundDeletion"]);
    await t.client.patch(CM, "fg-a", "merge", { metadata: { finalizers: null } }, { namespace: "default" });
    await waitFor(async () => !(await exists(CM, "fg")), 10_000, "owner released");
    expect(await exists(CM, "fg-a")).toBeUndefined();
  });

  test("foreground with no dependents is released promptly", async () => {
    await owner("fg-empty");
    const start = Date.now();
    await t.client.delete(CM, "fg-empty", { namespace: "default", propagationPolicy: "Foreground" });
    await waitFor(async () => !(await exists(CM, "fg-empty")), 5_000, "owner gone");
    expect(Date.now() - start).toBeLessThan(3_000);
  });

  test("orphan: dependents lose the owner reference and stay", async () => {
    const o = await owner("or");
    await dependent(CM, "ConfigMap", "or-a", o);
    await dependent(SECRETS, "Secret", "or-b", o);
    await t.client.delete(CM, "or", { namespace: "default", propagationPolicy: "Orphan" });
    await waitFor(async () => !(await exists(CM, "or")), 10_000, "owner gone");
    expect((await exists(CM, "or-a"))?.metadata?.ownerReferences).toBeUndefined();
    expect((await exists(SECRETS, "or-b"))?.metadata?.ownerReferences).toBeUndefined();
  });
});
