import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
let snap: string;
beforeEach(async () => {
  h = await makeHarness();
  await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "keep" }, data: { a: "1" } });
  snap = await h.snapshot();
});
afterEach(async () => {
  await h.close();
});

const CM = "/api/v1/namespaces/default/configmaps";

async function rejected(res: Promise<{ status: number; body: any }>, code: number, reason?: string) {
  const r = await res;
  expect(r.status).toBe(code);
  expect(r.body.kind).toBe("Status");
  if (reason) expect(r.body.reason).toBe(reason);
  expect(await h.snapshot()).toBe(snap);
  return r;
}

describe("bad input never crashes and never changes what is stored", () => {
  test("malformed JSON and YAML", async () => {
    await rejected(h.call("POST", CM, '{"apiVersion":"v1","kind":"ConfigMap",'), 400, "BadRequest");
    await rejected(h.call("POST", CM, "apiVersion: v1\nkind: [unclosed", { "content-type": "application/yaml" }), 400);
    await rejected(h.call("POST", CM, "[1,2,3]"), 400);
    await rejected(h.call("POST", CM, "null"), 400);
    await rejected(h.call("POST", CM, ""), 400);
    await rejected(h.call("PUT", `${CM}/keep`, "{bad"), 400);
    await rejected(h.call("PATCH", `${CM}/keep`, "{bad", { "content-type": "application/merge-patch+json" }), 400);
    await rejected(h.call("PATCH", `${CM}/keep`, '{"op":"add"}', { "content-type": "application/json-patch+json" }), 400);
    await rejected(h.call("POST", CM, new Uint8Array([0xff, 0xfe, 0x00])), 400);
  });

  test("YAML alias bomb and hostile nesting", async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill("*" + String.fromCharCode(96 + i)).join(",")}]`);
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${bomb.join("\n  ")}\n`;
    await rejected(h.call("POST", CM, yaml, { "content-type": "application/yaml" }), 400);
    const deepJson = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"x":${"[".repeat(100000)}${"]".repeat(100000)}}`;
    await rejected(h.call("POST", CM, deepJson), 400);
    const deepYaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\nx: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const r = await h.call("POST", CM, deepYaml, { "content-type": "application/yaml" });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(await h.snapshot()).toBe(snap);
  });

  test("bodies over 3 MiB are 413", async () => {
    const big = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "big" }, data: { a: "x".repeat(3 * 1024 * 1024 + 10) } });
    await rejected(h.call("POST", CM, big), 413, "RequestEntityTooLarge");
  });

  test("names with path tricks", async () => {
    // ".." segments are resolved by URL parsing before routing: they name another path, never a configmap.
    const dots = await h.call("GET", `${CM}/../configmaps/keep`);
    expect(dots.body.metadata?.name).toBe("keep");
    for (const name of ["a%2Fb", "a%2F..%2F..%2Fsecrets", "%00"]) {
      const r = await h.call("GET", `${CM}/${name}`);
      expect(r.status).toBe(404);
      await rejected(h.call("DELETE", `${CM}/${name}`), 404);
    }
    await rejected(h.call("PUT", `${CM}/a%2Fb`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a/b" } }), 404);
    const bad = await rejected(h.call("POST", CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "../etc" } }), 422, "Invalid");
    expect(bad.body.details.causes[0].field).toBe("metadata.name");
    await rejected(h.call("POST", CM, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } }), 422, "Invalid");
  });

  test("wrong kind or apiVersion, unsupported media types", async () => {
    await rejected(h.call("POST", CM, { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }), 400);
    await rejected(h.call("POST", CM, { apiVersion: "apps/v1", kind: "ConfigMap", metadata: { name: "s" } }), 400);
    await rejected(h.call("POST", CM, { apiVersion: "v1", kind: "ConfigMap", metadata: "oops" }), 400);
    await rejected(h.call("POST", CM, "x", { "content-type": "text/plain" }), 415, "UnsupportedMediaType");
    await rejected(h.call("POST", CM, new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0xff, 0xff]), { "content-type": "application/vnd.kubernetes.protobuf" }), 400);
  });

  test("unknown and duplicate fields: Strict rejects, Warn warns, Ignore ignores", async () => {
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "f" }, data: { a: "1" }, spec: { foo: 1 } };
    const strict = await rejected(h.call("POST", `${CM}?fieldValidation=Strict`, body), 400, "BadRequest");
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
    const dup = await rejected(h.call("POST", `${CM}?fieldValidation=Strict`, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","name":"e"}}'), 400);
    expect(dup.body.message).toContain('duplicate field "metadata.name"');
    const dupYaml = await rejected(h.call("POST", `${CM}?fieldValidation=Strict`, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\ndata:\n  a: '1'\n  a: '2'\n", { "content-type": "application/yaml" }), 400);
    expect(dupYaml.body.message).toContain('duplicate field "data.a"');
    const podStrict = await h.call("POST", "/api/v1/namespaces/default/pods?fieldValidation=Strict", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "x", imagePullPolice: "Always" }] },
    });
    expect(podStrict.status).toBe(400);
    expect(podStrict.body.message).toContain('unknown field "spec.containers[0].imagePullPolice"');
    expect(await h.snapshot()).toBe(snap);
    const warn = await h.call("POST", `${CM}?fieldValidation=Warn`, body);
    expect(warn.status).toBe(201);
    expect(warn.headers.get("warning")).toBe('299 - "unknown field \\"spec\\""');
    expect(warn.body.spec).toBeUndefined();
    const ignore = await h.call("POST", `${CM}?fieldValidation=Ignore`, { ...body, metadata: { name: "g" } });
    expect(ignore.status).toBe(201);
    expect(ignore.headers.get("warning")).toBeNull();
    const strictPatch = await h.call("PATCH", `${CM}/keep?fieldValidation=Strict`, { data: { b: "2" }, bogus: true }, { "content-type": "application/merge-patch+json" });
    expect(strictPatch.status).toBe(400);
    expect((await h.call("GET", `${CM}/keep`)).body.data).toEqual({ a: "1" });
    const badMode = await h.call("POST", `${CM}?fieldValidation=Loose`, body);
    expect(badMode.status).toBe(400);
  });
});
