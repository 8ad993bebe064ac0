import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { DEPLOYMENT, POD, fixtureSchemas } from "../patch/testdata/schemas.ts";
import type { KubeObject } from "../types.ts";
import { applyServerSide, setOf, updateManagedFields } from "./index.ts";

const T1 = "2024-01-01T00:00:00Z";
const T2 = "2024-01-01T00:01:00Z";
const T3 = "2024-01-01T00:02:00Z";

const deployment = (replicas: number, image = "nginx:1", extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", labels: { app: "web" } },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image, ...extra }] } },
  },
});

/** What the API server adds when it stores an object. */
const stored = (o: KubeObject): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, uid: "u1", resourceVersion: "5", generation: 1, creationTimestamp: T1 },
});

const apply = (live: KubeObject | undefined, applied: KubeObject, manager = "kubectl", force = false, now = T1) =>
  applyServerSide({ live, applied, manager, force, schemas: fixtureSchemas, typeName: DEPLOYMENT, apiVersion: "apps/v1", now });

const update = (old: KubeObject | undefined, updated: KubeObject, manager: string, now = T1, subresource?: string) =>
  updateManagedFields({ old, updated, manager, operation: "Update", schemas: fixtureSchemas, typeName: DEPLOYMENT, apiVersion: "apps/v1", now, subresource });

function conflict(f: () => unknown): StatusError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a conflict");
}

describe("server-side apply", () => {
  test("apply creates the object and records an Apply entry in FieldsV1", () => {
    const out = apply(undefined, deployment(2));
    expect(out.spec.replicas).toBe(2);
    expect(out.metadata?.managedFields).toEqual([
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
  });

  test("re-applying the same configuration changes nothing, managedFields included", () => {
    const live = stored(apply(undefined, deployment(2)));
    const again = apply(live, deployment(2), "kubectl", false, T2);
    expect(again).toEqual(live);
  });

  test("a field the manager stops applying is removed; other managers' fields stay", () => {
    let live = stored(apply(undefined, deployment(2, "nginx:1", { env: [{ name: "A", value: "1" }] })));
    // another manager adds a label with a plain update
    const labelled = structuredClone(live);
    labelled.metadata!.labels!.team = "blue";
    live = update(live, labelled, "kubectl-label", T2);
    const out = apply(live, deployment(2), "kubectl", false, T3);
    expect(out.spec.template.spec.containers[0]).toEqual({ name: "nginx", image: "nginx:1" });
    expect(out.metadata?.labels).toEqual({ app: "web", team: "blue" });
    expect(out.metadata?.managedFields?.find((m: any) => m.manager === "kubectl").fieldsV1["f:spec"]["f:template"]["f:spec"]).toEqual({
      "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } },
    });
  });

  test("dropping a whole list item removes it", () => {
    const two = deployment(1);
    two.spec.template.spec.containers.push({ name: "sidecar", image: "busybox" });
    const live = stored(apply(undefined, two));
    const out = apply(live, deployment(1), "kubectl", false, T2);
    expect(out.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["nginx"]);
  });

  test("two appliers conflict with a 409 naming the other manager and field", () => {
    const live = stored(apply(undefined, deployment(2), "alice"));
    const e = conflict(() => apply(live, deployment(5), "bob"));
    expect(e.code).toBe(409);
    expect(e.reason).toBe("Conflict");
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
    expect(e.status.details?.causes).toEqual([{ reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".spec.replicas" }]);
  });

  test("applying the same value as another manager is shared ownership, not a conflict", () => {
    const live = stored(apply(undefined, deployment(2), "alice"));
    const out = apply(live, deployment(2), "bob");
    const managers = out.metadata?.managedFields?.map((m: any) => m.manager);
    expect(managers).toEqual(["alice", "bob"]);
  });

  test("conflicts with an Update manager name its apiVersion, several conflicts are listed", () => {
    const created = update(undefined, stored(deployment(2)), "kubectl-client-side-apply");
    const e = conflict(() => apply(created, deployment(3, "nginx:2")));
    expect(e.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(e.status.details?.causes?.map((c) => c.field)).toEqual([".spec.replicas", '.spec.template.spec.containers[name="nginx"].image']);
    expect(e.status.details?.causes?.[0]?.message).toBe('conflict with "kubectl-client-side-apply" using apps/v1');
  });

  test("force takes ownership from the other manager", () => {
    const live = stored(apply(undefined, deployment(2), "alice"));
    const out = apply(live, deployment(5), "bob", true, T2);
    expect(out.spec.replicas).toBe(5);
    const alice = out.metadata?.managedFields?.find((m: any) => m.manager === "alice");
    const bob = out.metadata?.managedFields?.find((m: any) => m.manager === "bob");
    expect(alice.fieldsV1["f:spec"]["f:replicas"]).toBeUndefined();
    expect(bob.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    expect(bob.time).toBe(T2);
  });

  test("an Update after Apply moves ownership of the changed field", () => {
    const live = stored(apply(undefined, deployment(2)));
    const scaled = structuredClone(live);
    scaled.spec.replicas = 4;
    const out = update(live, scaled, "kube-controller-manager", T2, "scale");
    const entries = out.metadata?.managedFields as any[];
    expect(entries.find((m) => m.manager === "kubectl").fieldsV1["f:spec"]["f:replicas"]).toBeUndefined();
    expect(entries.find((m) => m.manager === "kube-controller-manager")).toEqual({
      manager: "kube-controller-manager",
      operation: "Update",
      apiVersion: "apps/v1",
      time: T2,
      fieldsType: "FieldsV1",
      fieldsV1: { "f:spec": { "f:replicas": {} } },
      subresource: "scale",
    });
    // re-applying the old value now conflicts with the scaler
    const e = conflict(() => apply(out, deployment(2), "kubectl", false, T3));
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "scale" using apps/v1: .spec.replicas');
  });

  test("applied configuration must not carry managedFields and must match the apiVersion", () => {
    const bad = deployment(1);
    bad.metadata!.managedFields = [];
    expect(conflict(() => apply(undefined, bad)).code).toBe(400);
    const wrong = { ...deployment(1), apiVersion: "apps/v1beta1" };
    const e = conflict(() => apply(undefined, wrong));
    expect(e.code).toBe(400);
    expect(e.status.message).toBe("Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1");
  });

  test("status is not owned when the endpoint ignores it", () => {
    const withStatus = { ...deployment(1), status: { replicas: 1 } };
    const out = applyServerSide({
      live: undefined,
      applied: withStatus,
      manager: "kubectl",
      force: false,
      schemas: fixtureSchemas,
      typeName: DEPLOYMENT,
      apiVersion: "apps/v1",
      now: T1,
      ignoredFields: setOf([["f:status"]]),
    });
    expect(out.metadata?.managedFields?.[0].fieldsV1["f:status"]).toBeUndefined();
  });

  test("kubectl upgrading from client-side apply does not conflict on last-applied fields", () => {
    const csa = deployment(2);
    const lastApplied = JSON.stringify(csa);
    csa.metadata!.annotations = { "kubectl.kubernetes.io/last-applied-configuration": lastApplied };
    const live = update(undefined, stored(csa), "kubectl-client-side-apply");
    const next = deployment(3);
    const out = apply(live, next, "kubectl", false, T2);
    expect(out.spec.replicas).toBe(3);
    const la = out.metadata!.annotations!["kubectl.kubernetes.io/last-applied-configuration"]!;
    expect(JSON.parse(la).spec.replicas).toBe(3);
    expect(la.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":3,')).toBe(true);
    // another manager has no such allowance
    expect(conflict(() => apply(live, deployment(3), "other")).code).toBe(409);
  });

  test("objects without managedFields belong to before-first-apply", () => {
    const e = conflict(() => apply(stored(deployment(2)), deployment(3)));
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });
});

describe("updateManagedFields", () => {
  test("create gives the manager every field it set, with '.' for new maps", () => {
    const pod: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", labels: { a: "1" }, uid: "x", resourceVersion: "1" },
      spec: { containers: [{ name: "c", image: "i", resources: {}, ports: [{ containerPort: 80 }] }] },
    };
    const out = updateManagedFields({ old: undefined, updated: pod, manager: "kubectl-create", operation: "Update", schemas: fixtureSchemas, typeName: POD, apiVersion: "v1", now: T1 });
    expect(out.metadata?.managedFields).toEqual([
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { ".": {}, "f:a": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"c"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { ".": {}, 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
                "f:resources": {},
              },
            },
          },
        },
      },
    ]);
  });

  test("an update that changes nothing keeps managedFields byte-identical", () => {
    const live = update(undefined, stored(deployment(1)), "kubectl-create");
    const same = structuredClone(live);
    same.metadata!.resourceVersion = "6";
    expect(update(live, same, "kubectl-edit", T2).metadata?.managedFields).toEqual(live.metadata?.managedFields);
  });

  test("a second update by the same manager merges into its entry and bumps the time", () => {
    let live = update(undefined, stored(deployment(1)), "m");
    const a = structuredClone(live);
    a.spec.paused = true;
    live = update(live, a, "m", T2);
    expect(live.metadata?.managedFields).toHaveLength(1);
    expect(live.metadata?.managedFields?.[0].time).toBe(T2);
    expect(live.metadata?.managedFields?.[0].fieldsV1["f:spec"]["f:paused"]).toEqual({});
    expect(live.metadata?.managedFields?.[0].fieldsV1["f:spec"]["f:replicas"]).toEqual({});
  });

  test("removed fields lose their owners and empty entries disappear", () => {
    let live = update(undefined, stored(deployment(1)), "creator");
    const patched = structuredClone(live);
    patched.metadata!.labels = { app: "web", x: "1" };
    live = update(live, patched, "labeller", T2);
    const unlabelled = structuredClone(live);
    delete unlabelled.metadata!.labels!.x;
    const out = update(live, unlabelled, "creator", T3);
    expect(out.metadata?.managedFields?.map((m: any) => m.manager)).toEqual(["creator"]);
  });

  test("managedFields: [{}] in the request resets tracking", () => {
    const live = update(undefined, stored(deployment(1)), "creator");
    const reset = structuredClone(live);
    reset.metadata!.managedFields = [{}];
    expect(update(live, reset, "resetter", T2).metadata?.managedFields).toBeUndefined();
  });
});

describe("update manager cap", () => {
  test("beyond 10 Update entries the oldest fold into ancient-changes", () => {
    let live = update(undefined, stored(deployment(1)), "creator", "2024-01-01T00:00:00Z");
    for (let i = 0; i < 12; i++) {
      const next = structuredClone(live);
      next.metadata!.annotations = { ...next.metadata!.annotations, [`k${i}`]: "v" };
      live = update(live, next, `m${i}`, `2024-01-01T00:${String(i + 1).padStart(2, "0")}:00Z`);
    }
    const entries = live.metadata?.managedFields as any[];
    expect(entries).toHaveLength(10);
    const ancient = entries.find((e) => e.manager === "ancient-changes");
    // creator, m0, m1 and m2 folded: the bucket owns their fields and carries the newest folded time
    expect(ancient.time).toBe("2024-01-01T00:03:00Z");
    expect(ancient.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    expect(Object.keys(ancient.fieldsV1["f:metadata"]["f:annotations"])).toEqual([".", "f:k0", "f:k1", "f:k2"]);
    expect(entries.map((e) => e.manager)).toEqual(["ancient-changes", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"]);
  });
});
