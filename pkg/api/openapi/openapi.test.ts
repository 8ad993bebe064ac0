import { describe, expect, test } from "bun:test";
import protobuf from "protobufjs";
import { createRegistry } from "../registry.ts";
import { builtinSchemas } from "../schema/index.ts";
import type { ResourceInfo } from "../types.ts";
import { encodeOpenapiV2, openapiV2, openapiV2Protobuf, openapiV3Document, openapiV3Index } from "./index.ts";

const registry = createRegistry();
const schemas = builtinSchemas();
type J = Record<string, any>;

/** All "$ref" strings anywhere in a document. */
function allRefs(o: unknown, out: string[] = []): string[] {
  if (Array.isArray(o)) for (const x of o) allRefs(x, out);
  else if (o && typeof o === "object") for (const [k, v] of Object.entries(o)) k === "$ref" && typeof v === "string" ? out.push(v) : allRefs(v, out);
  return out;
}

const patchOps = (doc: J) =>
  Object.values(doc.paths as J)
    .map((p: J) => p.patch)
    .filter(Boolean);

describe("openapiV3Index", () => {
  test("lists api, apis and every group-version with a hashed URL", () => {
    const idx = openapiV3Index(registry) as J;
    for (const p of ["api", "apis", "api/v1", "apis/apps/v1", "apis/autoscaling/v2", "apis/autoscaling/v1", "apis/metrics.k8s.io/v1beta1"]) {
      expect(idx.paths[p].serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${p.replace(/\./g, "\\.")}\\?hash=[0-9A-F]{128}$`));
    }
  });

  test("the hash changes when the group-version's resources change, and only then", () => {
    const reg = createRegistry();
    const before = (openapiV3Index(reg) as J).paths;
    reg.add({ ...reg.lookup("apps", "v1", "deployments")!, shortNames: ["dep"] } as ResourceInfo);
    const after = (openapiV3Index(reg) as J).paths;
    expect(after["apis/apps/v1"].serverRelativeURL).not.toBe(before["apis/apps/v1"].serverRelativeURL);
    expect(after["api/v1"].serverRelativeURL).toBe(before["api/v1"].serverRelativeURL);
  });
});

describe("openapiV3Document", () => {
  const apps = openapiV3Document(registry, schemas, "apis/apps/v1") as J;

  test("unknown paths are undefined", () => {
    expect(openapiV3Document(registry, schemas, "apis/nope/v1")).toBeUndefined();
    expect(openapiV3Document(registry, schemas, "apis/apps")).toBeUndefined();
    expect((openapiV3Document(registry, schemas, "api") as J).paths["/api/"]).toBeDefined();
  });

  test("components carry GVKs, patch strategies and list types", () => {
    const c = apps.components.schemas;
    expect(apps.openapi).toBe("3.0.0");
    expect(c["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "apps", version: "v1", kind: "Deployment" }]);
    const containers = c["io.k8s.api.core.v1.PodSpec"].properties.containers;
    expect(containers).toMatchObject({
      type: "array",
      "x-kubernetes-patch-strategy": "merge",
      "x-kubernetes-patch-merge-key": "name",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["name"],
    });
    expect(containers.items).toEqual({ allOf: [{ $ref: "#/components/schemas/io.k8s.api.core.v1.Container" }], default: {} });
    expect(c["io.k8s.api.apps.v1.DeploymentSpec"].properties.strategy["x-kubernetes-patch-strategy"]).toBe("retainKeys");
    expect(c["io.k8s.api.core.v1.ResourceRequirements"].properties.limits.additionalProperties).toEqual({ allOf: [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity" }] });
    expect(c["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]).toMatchObject({ type: "string", format: "int-or-string" });
    expect(c["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"]["x-kubernetes-map-type"]).toBe("atomic");
    expect(c["io.k8s.api.autoscaling.v1.Scale"]).toBeDefined();
    expect(c["io.k8s.api.core.v1.ContainerPort"].properties.protocol.default).toBe("TCP");
  });

  test("every $ref resolves inside the same document", () => {
    for (const path of ["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/autoscaling/v2", "apis/metrics.k8s.io/v1beta1", "apis/apiextensions.k8s.io/v1"]) {
      const doc = openapiV3Document(registry, schemas, path) as J;
      for (const ref of allRefs(doc)) expect(doc.components.schemas[ref.replace("#/components/schemas/", "")], `${path}: ${ref}`).toBeDefined();
    }
  });

  test("PATCH operations are tagged with the GVK and list fieldValidation", () => {
    const ops = patchOps(apps);
    const deploy = ops.find((o: J) => o.operationId === "patchAppsV1NamespacedDeployment");
    expect(deploy["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
    expect(deploy["x-kubernetes-action"]).toBe("patch");
    for (const op of ops) expect(op.parameters.map((p: J) => p.name)).toEqual(expect.arrayContaining(["fieldValidation", "fieldManager", "dryRun", "force"]));
    expect(Object.keys(deploy.requestBody.content)).toContain("application/strategic-merge-patch+json");
    const scale = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
    expect(scale.patch["x-kubernetes-group-version-kind"]).toEqual({ group: "autoscaling", version: "v1", kind: "Scale" });
    expect(apps.paths["/apis/apps/v1/deployments"].get["x-kubernetes-action"]).toBe("list");
  });

  test("operations follow each resource's verbs and scope", () => {
    const core = openapiV3Document(registry, schemas, "api/v1") as J;
    expect(core.paths["/api/v1/namespaces/{name}"].patch).toBeDefined();
    expect(core.paths["/api/v1/namespaces"].delete).toBeUndefined(); // no deletecollection on namespaces
    expect(core.paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"].post["x-kubernetes-group-version-kind"]).toEqual({ group: "policy", version: "v1", kind: "Eviction" });
    const metrics = openapiV3Document(registry, schemas, "apis/metrics.k8s.io/v1beta1") as J;
    expect(metrics.paths["/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}"].patch).toBeUndefined();
    expect(metrics.paths["/apis/metrics.k8s.io/v1beta1/nodes"].get).toBeDefined();
  });
});

describe("openapiV2", () => {
  const doc = openapiV2(registry, schemas) as J;

  test("is swagger 2.0 with definitions for every group and resolvable refs", () => {
    expect(doc.swagger).toBe("2.0");
    expect(doc.definitions["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"]).toEqual([{ group: "", version: "v1", kind: "Pod" }]);
    expect(doc.definitions["io.k8s.api.core.v1.PodSpec"].properties.containers.items).toEqual({ $ref: "#/definitions/io.k8s.api.core.v1.Container" });
    for (const ref of allRefs(doc)) expect(doc.definitions[ref.replace("#/definitions/", "")], ref).toBeDefined();
    const patch = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
    expect(patch.parameters.map((p: J) => p.name)).toContain("fieldValidation");
  });

  test("encodes as a gnostic protobuf Document that decodes back", () => {
    const bytes = encodeOpenapiV2(doc);
    expect(bytes.length).toBeGreaterThan(100_000);
    // Decode with an independent minimal reading of openapi.v2.Document: swagger=1, definitions=9 { repeated NamedSchema = 1 { name=1 } }.
    const root = protobuf.Root.fromJSON({
      nested: {
        Doc: { fields: { swagger: { type: "string", id: 1 }, definitions: { type: "Defs", id: 9 } } },
        Defs: { fields: { items: { type: "Named", id: 1, rule: "repeated" } } },
        Named: { fields: { name: { type: "string", id: 1 } } },
      },
    });
    const decoded = root.lookupType("Doc").decode(bytes) as unknown as { swagger: string; definitions: { items: Array<{ name: string }> } };
    expect(decoded.swagger).toBe("2.0");
    expect(decoded.definitions.items.map((d) => d.name).sort()).toEqual(Object.keys(doc.definitions).sort());
  });
});

describe("caching", () => {
  test("documents are reused until the served resources change", () => {
    const reg = createRegistry();
    const a = openapiV3Document(reg, schemas, "apis/apps/v1");
    expect(openapiV3Document(reg, schemas, "apis/apps/v1")).toBe(a!);
    const v2 = openapiV2(reg, schemas);
    expect(openapiV2Protobuf(reg, schemas)).toBe(openapiV2Protobuf(reg, schemas));
    reg.add({ ...reg.lookup("apps", "v1", "deployments")!, verbs: ["get", "list"] });
    const b = openapiV3Document(reg, schemas, "apis/apps/v1") as J;
    expect(b).not.toBe(a!);
    expect(b.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch).toBeUndefined();
    expect(openapiV2(reg, schemas)).not.toBe(v2);
    // Another registry never sees this one's documents.
    expect((openapiV3Document(createRegistry(), schemas, "apis/apps/v1") as J).paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch).toBeDefined();
  });
});
