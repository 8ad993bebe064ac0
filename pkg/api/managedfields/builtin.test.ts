// The same flows against the real built-in schemas (pkg/api/schema).
import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { applyStrategicMergePatch } from "../patch/index.ts";
import { builtinSchemas } from "../schema/index.ts";
import type { KubeObject } from "../types.ts";
import { applyServerSide, updateManagedFields } from "./index.ts";

const schemas = builtinSchemas();
const DEPLOYMENT = schemas.typeNameFor("apps", "v1", "Deployment")!;
const SERVICE = schemas.typeNameFor("", "v1", "Service")!;
const T1 = "2024-01-01T00:00:00Z";
const T2 = "2024-01-01T00:01:00Z";

const deployment = (replicas: number, containers: object[]): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers } },
  },
});

describe("with the built-in schemas", () => {
  test("the schemas know the kinds used here", () => {
    expect(DEPLOYMENT).toBe("io.k8s.api.apps.v1.Deployment");
    expect(SERVICE).toBe("io.k8s.api.core.v1.Service");
  });

  test("strategic merge patch merges containers and ports by key", () => {
    const live = deployment(1, [{ name: "a", image: "a:1", ports: [{ containerPort: 80, protocol: "TCP" }] }, { name: "b", image: "b:1" }]);
    const out = applyStrategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              "$setElementOrder/containers": [{ name: "a" }, { name: "b" }],
              containers: [{ name: "a", ports: [{ containerPort: 8080 }] }, { name: "b", image: "b:2" }],
            },
          },
        },
      },
      schemas,
      DEPLOYMENT,
    ) as KubeObject;
    expect(out.spec.template.spec.containers).toEqual([
      { name: "a", image: "a:1", ports: [{ containerPort: 8080 }, { containerPort: 80, protocol: "TCP" }] },
      { name: "b", image: "b:2" },
    ]);
  });

  test("strategy uses retainKeys", () => {
    const live = { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } } } };
    expect(applyStrategicMergePatch(live, { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } }, schemas, DEPLOYMENT)).toEqual({
      spec: { strategy: { type: "Recreate" } },
    });
  });

  test("apply: selector is atomic, ports keyed by containerPort+protocol, re-apply is a no-op", () => {
    const cfg = deployment(2, [{ name: "nginx", image: "nginx:1", ports: [{ containerPort: 80 }] }]);
    const created = applyServerSide({ live: undefined, applied: cfg, manager: "kubectl", force: false, schemas, typeName: DEPLOYMENT, apiVersion: "apps/v1", now: T1 });
    const spec = created.metadata?.managedFields?.[0].fieldsV1["f:spec"];
    expect(spec["f:selector"]).toEqual({});
    expect(spec["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}']["f:ports"]).toEqual({
      'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} },
    });
    // the server defaults protocol; the applier's (protocol-less) port still matches it
    const live = structuredClone(created);
    live.spec.template.spec.containers[0].ports[0].protocol = "TCP";
    live.metadata!.resourceVersion = "1";
    const again = applyServerSide({ live, applied: cfg, manager: "kubectl", force: false, schemas, typeName: DEPLOYMENT, apiVersion: "apps/v1", now: T2 });
    expect(again).toEqual(live);
  });

  test("apply conflict on a Service port after a client-side update", () => {
    const svc: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] },
    };
    const live = updateManagedFields({ old: undefined, updated: svc, manager: "kubectl-create", operation: "Update", schemas, typeName: SERVICE, apiVersion: "v1", now: T1 });
    const applied = structuredClone(svc);
    applied.spec.ports[0].targetPort = 9090;
    let err: unknown;
    try {
      applyServerSide({ live, applied, manager: "kubectl", force: false, schemas, typeName: SERVICE, apiVersion: "v1", now: T2 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).status.details?.causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "kubectl-create" using v1', field: '.spec.ports[port=80,protocol="TCP"].targetPort' },
    ]);
    const forced = applyServerSide({ live, applied, manager: "kubectl", force: true, schemas, typeName: SERVICE, apiVersion: "v1", now: T2 });
    expect(forced.spec.ports[0].targetPort).toBe(9090);
  });
});

describe("prototype keys in applied configurations", () => {
  test("are ordinary fields", () => {
    const applied = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":"x","constructor":"y"}}');
    const live = applyServerSide({ live: undefined, applied, manager: "m", force: false, schemas, typeName: schemas.typeNameFor("", "v1", "ConfigMap")!, apiVersion: "v1", now: T1 });
    expect(Object.getPrototypeOf(live.data)).toBe(Object.prototype);
    expect(Object.keys(live.data)).toEqual(["__proto__", "constructor"]);
    expect(Object.keys(live.metadata!.managedFields![0].fieldsV1["f:data"])).toEqual(["f:__proto__", "f:constructor"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
