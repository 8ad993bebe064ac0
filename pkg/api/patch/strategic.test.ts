import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { applyStrategicMergePatch } from "./strategic.ts";
import { DEPLOYMENT, POD, SERVICE, fixtureSchemas } from "./testdata/schemas.ts";

const smp = (doc: unknown, patch: unknown, type = POD) => applyStrategicMergePatch(doc, patch, fixtureSchemas, type);
const spec = (containers: unknown[], extra: object = {}) => ({ spec: { containers, ...extra } });

function fails(doc: unknown, patch: unknown, type = POD): StatusError {
  try {
    smp(doc, patch, type);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("strategic merge patch: maps", () => {
  test("maps merge recursively and null deletes", () => {
    const doc = { metadata: { name: "p", labels: { a: "1", b: "2" } } };
    expect(smp(doc, { metadata: { labels: { a: null, c: "3" } } })).toEqual({ metadata: { name: "p", labels: { b: "2", c: "3" } } });
    expect(doc.metadata.labels).toEqual({ a: "1", b: "2" });
  });
  test("null for an absent key is ignored, not stored", () => {
    expect(smp({ metadata: { name: "p" } }, { metadata: { labels: null, annotations: { x: null, y: "1" } } })).toEqual({
      metadata: { name: "p", annotations: { y: "1" } },
    });
  });
  test("$patch: replace on a map replaces it; $patch: delete empties it", () => {
    const doc = { metadata: { labels: { a: "1", b: "2" } } };
    expect(smp(doc, { metadata: { labels: { $patch: "replace", c: "3" } } })).toEqual({ metadata: { labels: { c: "3" } } });
    expect(smp(doc, { metadata: { labels: { $patch: "delete" } } })).toEqual({ metadata: { labels: {} } });
  });
  test("an unknown $patch directive is a 500 with upstream's message", () => {
    const e = fails({ metadata: {} }, { metadata: { $patch: "frob" } });
    expect(e.code).toBe(500);
    expect(e.status.message).toBe("unknown patch type: frob in map: map[$patch:frob]");
  });
});

describe("strategic merge patch: lists of maps by merge key", () => {
  const doc = spec([
    { name: "a", image: "a:1", env: [{ name: "X", value: "1" }] },
    { name: "b", image: "b:1" },
  ]);
  test("containers merge by name (kubectl set image)", () => {
    expect(smp(doc, spec([{ name: "b", image: "b:2" }]))).toEqual(
      spec([
        { name: "a", image: "a:1", env: [{ name: "X", value: "1" }] },
        { name: "b", image: "b:2" },
      ]),
    );
  });
  test("new elements are appended; nested env merges by name", () => {
    const out = smp(doc, spec([{ name: "a", env: [{ name: "Y", value: "2" }] }, { name: "c", image: "c:1" }])) as any;
    // upstream's normalizeElementOrder: patch items first where the live order cannot place them
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(["a", "c", "b"]);
    expect(out.spec.containers[0].env).toEqual([
      { name: "Y", value: "2" },
      { name: "X", value: "1" },
    ]);
  });
  test("$patch: delete removes an element by key", () => {
    expect(smp(doc, spec([{ name: "a", $patch: "delete" }]))).toEqual(spec([{ name: "b", image: "b:1" }]));
    const e = fails(doc, spec([{ $patch: "delete" }]));
    expect(e.code).toBe(500);
    expect(e.status.message).toContain("does not contain declared merge key: name");
  });
  test("$patch: replace in a list replaces the whole list", () => {
    expect(smp(doc, spec([{ name: "z", image: "z:1" }, { $patch: "replace" }]))).toEqual(spec([{ name: "z", image: "z:1" }]));
  });
  test("a list element without its merge key is rejected", () => {
    expect(fails(doc, spec([{ image: "x" }])).status.message).toBe("map: map[image:x] does not contain declared merge key: name");
  });
  test("ports merge by containerPort", () => {
    const d = spec([{ name: "a", ports: [{ containerPort: 80, protocol: "TCP" }] }]);
    const out = smp(d, spec([{ name: "a", ports: [{ containerPort: 80, name: "http" }, { containerPort: 443 }] }])) as any;
    expect(out.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: "TCP", name: "http" }, { containerPort: 443 }]);
  });
  test("service ports merge by port", () => {
    const d = { spec: { ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }], selector: { a: "1", b: "2" } } };
    const out = smp(d, { spec: { ports: [{ port: 80, targetPort: 9090 }], selector: { c: "3" } } }, SERVICE) as any;
    expect(out.spec.ports).toEqual([{ port: 80, targetPort: 9090, protocol: "TCP" }]);
    expect(out.spec.selector).toEqual({ a: "1", b: "2", c: "3" }); // maps merge even when SSA treats them atomic
  });
  test("lists without a merge strategy are replaced", () => {
    const d = spec([{ name: "a", args: ["x", "y"] }], { tolerations: [{ key: "k" }] });
    const out = smp(d, spec([{ name: "a", args: ["z"] }], { tolerations: [{ key: "j" }] })) as any;
    expect(out.spec.containers[0].args).toEqual(["z"]);
    expect(out.spec.tolerations).toEqual([{ key: "j" }]);
  });
});

describe("strategic merge patch: primitive lists and directives", () => {
  test("finalizers merge as a set", () => {
    expect(smp({ metadata: { finalizers: ["a", "b"] } }, { metadata: { finalizers: ["b", "c"] } })).toEqual({
      metadata: { finalizers: ["a", "b", "c"] },
    });
  });
  test("$deleteFromPrimitiveList removes values", () => {
    expect(smp({ metadata: { finalizers: ["a", "b", "c"] } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "x"] } })).toEqual({
      metadata: { finalizers: ["a", "c"] },
    });
    expect(smp({ metadata: {} }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } })).toEqual({ metadata: {} });
  });
  test("$setElementOrder orders merged containers, server-only items interleave by live position", () => {
    const doc = spec([{ name: "a" }, { name: "b" }, { name: "server" }, { name: "c" }]);
    const out = smp(doc, {
      spec: { "$setElementOrder/containers": [{ name: "c" }, { name: "b" }, { name: "a" }], containers: [{ name: "b", image: "b:2" }] },
    }) as any;
    expect(out.spec.containers.map((c: any) => c.name)).toEqual(["server", "c", "b", "a"]);
    expect(out.spec.containers[2]).toEqual({ name: "b", image: "b:2" });
    expect(out.spec["$setElementOrder/containers"]).toBeUndefined();
  });
  test("$setElementOrder with a deletion, as kubectl apply sends it", () => {
    const doc = spec([{ name: "a", image: "a" }, { name: "b", image: "b" }]);
    const out = smp(doc, {
      spec: { "$setElementOrder/containers": [{ name: "b" }], containers: [{ name: "a", $patch: "delete" }] },
    });
    expect(out).toEqual(spec([{ name: "b", image: "b" }]));
  });
  test("$setElementOrder for primitive lists", () => {
    const out = smp({ metadata: { finalizers: ["a", "b"] } }, { metadata: { "$setElementOrder/finalizers": ["c", "b", "a"], finalizers: ["c"] } });
    expect(out).toEqual({ metadata: { finalizers: ["c", "b", "a"] } });
  });
  test("a patch list that contradicts $setElementOrder is rejected", () => {
    const e = fails(spec([{ name: "a" }]), { spec: { "$setElementOrder/containers": [{ name: "a" }], containers: [{ name: "b" }] } });
    expect(e.code).toBe(500);
    expect(e.status.message).toContain("doesn't match $setElementOrder list");
  });
  test("$retainKeys clears keys not listed (deployment strategy)", () => {
    const doc = { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } } };
    expect(smp(doc, { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } }, DEPLOYMENT)).toEqual({
      spec: { strategy: { type: "Recreate" } },
    });
    const e = fails(doc, { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: { maxSurge: 2 } } } }, DEPLOYMENT);
    expect(e.code).toBe(400);
    expect(e.status.message).toBe("invalid patch format of retainKeys");
  });
  test("$retainKeys inside a volume swaps the volume source", () => {
    const doc = spec([], { volumes: [{ name: "v", emptyDir: {} }] });
    const out = smp(doc, { spec: { volumes: [{ name: "v", $retainKeys: ["configMap", "name"], configMap: { name: "cm" } }] } }) as any;
    expect(out.spec.volumes).toEqual([{ name: "v", configMap: { name: "cm" } }]);
  });
  test("malformed directive keys are 400", () => {
    expect(fails({ metadata: {} }, { metadata: { $deleteFromPrimitiveList: ["a"] } }).code).toBe(400);
    expect(fails({ metadata: {} }, { metadata: { $setElementOrder: [] } }).code).toBe(400);
  });
  test("lists of lists are 422", () => {
    const e = fails({ metadata: { finalizers: [["a"]] } }, { metadata: { finalizers: [["b"]] } });
    expect(e.code).toBe(422);
    expect(e.status.details?.causes?.[0]?.message).toBe("lists of lists are not supported");
  });
});

describe("strategic merge patch: what kubectl sends", () => {
  const live = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            { name: "nginx", image: "nginx:1", ports: [{ containerPort: 80, protocol: "TCP" }] },
            { name: "sidecar", image: "busybox" },
          ],
        },
      },
    },
    status: { replicas: 1 },
  };
  test("rollout restart sets a template annotation", () => {
    const out = smp(live, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z" } } } } }, DEPLOYMENT) as any;
    expect(out.spec.template.metadata).toEqual({ labels: { app: "web" }, annotations: { "kubectl.kubernetes.io/restartedAt": "2024-01-01T00:00:00Z" } });
    expect(out.spec.template.spec).toEqual(live.spec.template.spec);
  });
  test("client-side apply removing a container and changing replicas", () => {
    const patch = {
      metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{\"new\":1}" } },
      spec: {
        replicas: 3,
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "nginx" }],
            containers: [{ name: "nginx", image: "nginx:2" }, { $patch: "delete", name: "sidecar" }],
          },
        },
      },
    };
    const out = smp(live, patch, DEPLOYMENT) as any;
    expect(out.spec.replicas).toBe(3);
    expect(out.spec.template.spec.containers).toEqual([{ name: "nginx", image: "nginx:2", ports: [{ containerPort: 80, protocol: "TCP" }] }]);
    expect(out.status).toEqual({ replicas: 1 });
  });
  test("kubectl set env adds to one container", () => {
    const out = smp(live, { spec: { template: { spec: { containers: [{ name: "sidecar", env: [{ name: "A", value: "1" }] }] } } } }, DEPLOYMENT) as any;
    expect(out.spec.template.spec.containers[1]).toEqual({ name: "sidecar", image: "busybox", env: [{ name: "A", value: "1" }] });
  });
});

describe("strategic merge patch: types without a schema", () => {
  test("fall back to merge-patch semantics (lists replace, maps merge)", () => {
    const doc = { spec: { items: [{ name: "a" }, { name: "b" }], nested: { x: 1, y: 2 } } };
    expect(applyStrategicMergePatch(doc, { spec: { items: [{ name: "c" }], nested: { y: null, z: 3 } } }, fixtureSchemas, "example.com.v1.Widget")).toEqual({
      spec: { items: [{ name: "c" }], nested: { x: 1, z: 3 } },
    });
  });
  test("a non-object patch is 400", () => {
    expect(fails({}, [1]).code).toBe(400);
  });
});
