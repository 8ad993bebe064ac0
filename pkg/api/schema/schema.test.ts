import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtinResources } from "../registry.ts";
import { atomicStructs, fieldFacts, quantityFields, quantityMapFields } from "./facts.ts";
import { builtinSchemas, createSchemaRegistry, type FieldSchema } from "./index.ts";

const s = builtinSchemas();
const prop = (type: string, field: string): FieldSchema | undefined => s.type(type)?.properties[field];
const short = (name: string) => name.replace(/^io\.k8s\.(api|apimachinery\.pkg\.apis|apiextensions-apiserver\.pkg\.apis)\./, "");
const refs = (f: FieldSchema): string[] => (f.ref ? [f.ref] : f.items ? refs(f.items) : f.additionalProperties ? refs(f.additionalProperties) : []);

const tmp = mkdtempSync(join(tmpdir(), "kubun-schema-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("builtinSchemas", () => {
  test("is built once", () => {
    expect(builtinSchemas()).toBe(s);
  });

  test("every served kind, list kind and subresource kind has a definition", () => {
    for (const r of builtinResources) {
      expect(s.typeNameFor(r.group, r.version, r.kind), `${r.group}/${r.version} ${r.kind}`).toBeDefined();
      if (r.verbs.includes("list")) expect(s.typeNameFor(r.group, r.version, r.listKind), r.listKind).toBeDefined();
      for (const sub of r.subresources) {
        if (sub.version === "") continue; // options kinds (PodExecOptions…) are query parameters, not bodies
        expect(s.typeNameFor(sub.group ?? r.group, sub.version ?? r.version, sub.kind), `${r.resource}/${sub.name}`).toBeDefined();
      }
    }
    expect(s.typeNameFor("apps", "v1", "Deployment")).toBe("io.k8s.api.apps.v1.Deployment");
    expect(s.typeNameFor("", "v1", "Event")).toBe("io.k8s.api.core.v1.Event");
    expect(s.typeNameFor("events.k8s.io", "v1", "Event")).toBe("io.k8s.api.events.v1.Event");
    expect(s.typeNameFor("autoscaling", "v1", "Scale")).toBe("io.k8s.api.autoscaling.v1.Scale");
    expect(s.typeNameFor("", "v1", "Status")).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
  });

  test("the type graph is closed: every ref names a definition", () => {
    for (const t of s.all()) for (const [k, f] of Object.entries(t.properties)) for (const r of refs(f)) expect(s.type(r), `${t.name}.${k} → ${r}`).toBeDefined();
  });

  test("types sit in upstream's packages", () => {
    expect(prop("io.k8s.api.apps.v1.DeploymentSpec", "template")?.ref).toBe("io.k8s.api.core.v1.PodTemplateSpec");
    expect(prop("io.k8s.api.apps.v1.Deployment", "metadata")?.ref).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
    expect(prop("io.k8s.api.apps.v1.DeploymentSpec", "selector")?.ref).toBe("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector");
    expect(prop("io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec", "scaleTargetRef")?.ref).toBe("io.k8s.api.autoscaling.v2.CrossVersionObjectReference");
    expect(prop("io.k8s.api.discovery.v1.EndpointSlice", "ports")?.items?.ref).toBe("io.k8s.api.discovery.v1.EndpointPort");
    expect(prop("io.k8s.api.core.v1.EndpointSubset", "ports")?.items?.ref).toBe("io.k8s.api.core.v1.EndpointPort");
  });

  test("field types: int-or-string, quantity, time, bytes, integers", () => {
    expect(prop("io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge")?.type).toBe("int-or-string");
    expect(prop("io.k8s.api.core.v1.ResourceRequirements", "limits")).toMatchObject({ type: "map", additionalProperties: { type: "quantity" } });
    expect(prop("io.k8s.api.core.v1.EmptyDirVolumeSource", "sizeLimit")?.type).toBe("quantity");
    expect(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp")?.type).toBe("time");
    expect(prop("io.k8s.api.core.v1.Secret", "data")).toMatchObject({ type: "map", additionalProperties: { type: "bytes" } });
    expect(prop("io.k8s.api.apps.v1.DeploymentSpec", "replicas")).toMatchObject({ type: "integer", format: "int32" });
    expect(prop("io.k8s.api.core.v1.ConfigMap", "data")).toMatchObject({ type: "map", additionalProperties: { type: "string" } });
    expect(s.type("io.k8s.api.core.v1.Container")?.required).toEqual(["name"]);
    expect(s.type("io.k8s.api.core.v1.Container")?.description).toBe("A single application container that you want to run within a pod.");
    expect(prop("io.k8s.api.core.v1.Container", "image")?.description).toContain("Container image name.");
  });

  test("strategic merge and list-type facts from types.go are applied", () => {
    expect(prop("io.k8s.api.core.v1.PodSpec", "containers")).toMatchObject({ patchStrategy: "merge", patchMergeKey: "name", listType: "map", listMapKeys: ["name"] });
    expect(prop("io.k8s.api.core.v1.PodSpec", "volumes")).toMatchObject({ patchStrategy: "merge,retainKeys", patchMergeKey: "name" });
    expect(prop("io.k8s.api.core.v1.Container", "ports")).toMatchObject({ patchMergeKey: "containerPort", listMapKeys: ["containerPort", "protocol"] });
    expect(prop("io.k8s.api.core.v1.Container", "volumeMounts")?.patchMergeKey).toBe("mountPath");
    expect(prop("io.k8s.api.core.v1.EphemeralContainer", "env")?.patchMergeKey).toBe("name");
    expect(prop("io.k8s.api.core.v1.ServiceSpec", "ports")).toMatchObject({ patchMergeKey: "port", listMapKeys: ["port", "protocol"] });
    expect(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers")).toMatchObject({ patchStrategy: "merge", listType: "set" });
    expect(prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences")?.patchMergeKey).toBe("uid");
    expect(prop("io.k8s.api.apps.v1.DeploymentSpec", "strategy")?.patchStrategy).toBe("retainKeys");
    expect(prop("io.k8s.api.apps.v1.DeploymentStatus", "conditions")?.patchMergeKey).toBe("type");
    expect(s.type("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")?.structType).toBe("atomic");
    expect(prop("io.k8s.api.core.v1.ContainerPort", "protocol")?.default).toBe("TCP");
  });

  test("every fact names a field that exists (facts and models stay in step)", () => {
    const byShort = new Map([...s.all()].map((t) => [short(t.name), t]));
    for (const key of [...Object.keys(fieldFacts), ...quantityMapFields, ...quantityFields]) {
      const i = key.lastIndexOf(".");
      expect(byShort.get(key.slice(0, i))?.properties[key.slice(i + 1)], key).toBeDefined();
    }
    for (const t of atomicStructs) expect(byShort.get(t), t).toBeDefined();
  });

  test("metrics.k8s.io kinds are described", () => {
    const pm = s.type(s.typeNameFor("metrics.k8s.io", "v1beta1", "PodMetrics")!)!;
    expect(Object.keys(pm.properties)).toEqual(expect.arrayContaining(["metadata", "timestamp", "window", "containers"]));
  });

  test("createSchemaRegistry indexes by name and GVK", () => {
    const reg = createSchemaRegistry([{ name: "com.example.v1.Widget", properties: {}, gvk: [{ group: "example.com", version: "v1", kind: "Widget" }] }]);
    expect(reg.typeNameFor("example.com", "v1", "Widget")).toBe("com.example.v1.Widget");
    expect(reg.type("com.example.v1.Widget")?.name).toBe("com.example.v1.Widget");
    expect(reg.typeNameFor("example.com", "v1", "Gadget")).toBeUndefined();
  });

  test("builtin.json is what generate.ts produces now", async () => {
    const out = join(tmp, "builtin.json");
    const proc = Bun.spawn([process.execPath, "run", join(import.meta.dir, "generate.ts"), out], { stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => proc.kill(), 30_000);
    const code = await proc.exited;
    clearTimeout(timer);
    expect(code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(import.meta.dir, "builtin.json"), "utf8"));
  });
});
