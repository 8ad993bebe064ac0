// More server-side apply semantics: sets, shared ownership, untyped (CRD-like) objects.
import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { POD, fixtureSchemas } from "../patch/testdata/schemas.ts";
import type { KubeObject } from "../types.ts";
import { applyServerSide, setOf } from "./index.ts";

const T1 = "2024-01-01T00:00:00Z";
const T2 = "2024-01-01T00:01:00Z";

const podApply = (live: KubeObject | undefined, applied: KubeObject, manager: string, typeName = POD, apiVersion = "v1") =>
  applyServerSide({ live, applied, manager, force: false, schemas: fixtureSchemas, typeName, apiVersion, now: T1 });

const pod = (meta: object = {}, spec: object = { containers: [{ name: "c", image: "i" }] }): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", ...meta },
  spec,
});

describe("server-side apply semantics", () => {
  test("set lists (finalizers) merge across appliers and prune per applier", () => {
    let live = podApply(undefined, pod({ finalizers: ["a"] }), "A");
    live = podApply(live, pod({ finalizers: ["b"] }), "B");
    expect(live.metadata?.finalizers).toEqual(["a", "b"]);
    const entryB = live.metadata?.managedFields?.find((m: any) => m.manager === "B");
    expect(entryB.fieldsV1["f:metadata"]["f:finalizers"]).toEqual({ 'v:"b"': {} });
    live = podApply(live, pod({}), "A");
    expect(live.metadata?.finalizers).toEqual(["b"]);
  });

  test("a field two appliers share survives when one of them stops applying it", () => {
    let live = podApply(undefined, pod({ labels: { team: "x", a: "1" } }), "A");
    live = podApply(live, pod({ labels: { team: "x" } }), "B");
    live = podApply(live, pod({ labels: { a: "1" } }), "A");
    expect(live.metadata?.labels).toEqual({ team: "x", a: "1" });
    live = podApply(live, pod({}), "B");
    expect(live.metadata?.labels).toEqual({ a: "1" });
  });

  test("keyed list items owned by two appliers", () => {
    const two = { containers: [{ name: "c", image: "i" }, { name: "d", image: "j" }] };
    let live = podApply(undefined, pod({}, two), "A");
    live = podApply(live, pod({}, { containers: [{ name: "d", image: "j" }] }), "B");
    live = podApply(live, pod({}, { containers: [{ name: "c", image: "i" }] }), "A");
    expect(live.spec.containers.map((c: any) => c.name)).toEqual(["c", "d"]);
  });

  test("objects without a schema: maps are granular (every key a member), lists atomic", () => {
    const cr = (spec: object): KubeObject => ({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec });
    let live = podApply(undefined, cr({ size: 1, tags: ["a"], nested: { x: 1 } }), "A", "com.example.v1.Widget", "example.com/v1");
    expect(live.metadata?.managedFields?.[0].fieldsV1["f:spec"]).toEqual({ ".": {}, "f:size": {}, "f:tags": {}, "f:nested": { ".": {}, "f:x": {} } });
    live = podApply(live, cr({ nested: { y: 2 } }), "B", "com.example.v1.Widget", "example.com/v1");
    expect(live.spec).toEqual({ size: 1, tags: ["a"], nested: { x: 1, y: 2 } });
    let err: unknown;
    try {
      podApply(live, cr({ tags: ["b"] }), "B", "com.example.v1.Widget", "example.com/v1");
    } catch (e) {
      err = e;
    }
    expect((err as StatusError).status.message).toBe('Apply failed with 1 conflict: conflict with "A": .spec.tags');
  });

  test("status applied on the status subresource is owned there, spec ignored", () => {
    const live = podApply(undefined, pod(), "A");
    const withStatus = { ...pod(), spec: { containers: [{ name: "c", image: "other" }] }, status: { phase: "Running" } };
    const out = applyServerSide({
      live,
      applied: withStatus,
      manager: "kubelet",
      force: false,
      schemas: fixtureSchemas,
      typeName: POD,
      apiVersion: "v1",
      now: T2,
      subresource: "status",
      ignoredFields: setOf([["f:spec"], ["f:metadata"]]),
    });
    const kubelet = out.metadata?.managedFields?.find((m: any) => m.manager === "kubelet");
    expect(kubelet).toMatchObject({ operation: "Apply", subresource: "status", fieldsV1: { "f:status": { "f:phase": {} } } });
    // the ignored spec change is not a conflict with A; resetting it is the caller's job
    expect(out.metadata?.managedFields?.find((m: any) => m.manager === "A").fieldsV1["f:spec"]).toBeDefined();
  });
});

describe("applied configurations that cannot be typed", () => {
  const fail = (applied: KubeObject) => {
    try {
      podApply(undefined, applied, "A");
    } catch (e) {
      return e as StatusError;
    }
    throw new Error("expected an error");
  };
  test("duplicate list-map keys are rejected as upstream", () => {
    const e = fail(pod({ namespace: "ns" }, { containers: [{ name: "c", env: [{ name: "A", value: "1" }, { name: "A", value: "2" }] }] }));
    expect(e.code).toBe(500);
    expect(e.status.message).toBe(
      'failed to create typed patch object (ns/p; /v1, Kind=Pod): .spec.containers[name="c"].env: duplicate entries for key [name="A"]',
    );
  });
  test("a list-map item without its key is rejected; a defaulted key (protocol) may be omitted", () => {
    const e = fail(pod({}, { containers: [{ image: "x" }] }));
    expect(e.status.message).toBe(
      'failed to create typed patch object (/p; /v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    );
    expect(() => podApply(undefined, pod({}, { containers: [{ name: "c", ports: [{ containerPort: 80 }] }] }), "A")).not.toThrow();
  });
  test("duplicate set values are rejected", () => {
    expect(fail(pod({ finalizers: ["a", "a"] })).status.message).toContain('.metadata.finalizers: duplicate entries for key [="a"]');
  });
});
