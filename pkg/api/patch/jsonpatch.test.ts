import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { applyJsonPatch } from "./jsonpatch.ts";

function fails(doc: unknown, patch: unknown): StatusError {
  try {
    applyJsonPatch(doc, patch);
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

describe("applyJsonPatch (RFC 6902)", () => {
  test("add to object, array index and '-' end", () => {
    const doc = { foo: ["bar", "baz"] };
    expect(applyJsonPatch(doc, [{ op: "add", path: "/baz", value: "qux" }])).toEqual({ foo: ["bar", "baz"], baz: "qux" });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/foo/1", value: "qux" }])).toEqual({ foo: ["bar", "qux", "baz"] });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/foo/-", value: "end" }])).toEqual({ foo: ["bar", "baz", "end"] });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/foo/2", value: "x" }])).toEqual({ foo: ["bar", "baz", "x"] });
    expect(doc).toEqual({ foo: ["bar", "baz"] }); // input untouched
  });
  test("add replaces an existing member and can add a whole object", () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: "add", path: "/a", value: { b: [1] } }])).toEqual({ a: { b: [1] } });
  });
  test("remove, replace, move, copy", () => {
    const doc = { a: { b: 1, c: [1, 2, 3] }, d: "x" };
    expect(applyJsonPatch(doc, [{ op: "remove", path: "/a/b" }])).toEqual({ a: { c: [1, 2, 3] }, d: "x" });
    expect(applyJsonPatch(doc, [{ op: "remove", path: "/a/c/1" }])).toEqual({ a: { b: 1, c: [1, 3] }, d: "x" });
    expect(applyJsonPatch(doc, [{ op: "replace", path: "/d", value: 5 }])).toEqual({ a: { b: 1, c: [1, 2, 3] }, d: 5 });
    expect(applyJsonPatch(doc, [{ op: "move", from: "/a/b", path: "/e" }])).toEqual({ a: { c: [1, 2, 3] }, d: "x", e: 1 });
    expect(applyJsonPatch(doc, [{ op: "move", from: "/a/c/0", path: "/a/c/2" }])).toEqual({ a: { b: 1, c: [2, 3, 1] }, d: "x" });
    const copied = applyJsonPatch(doc, [{ op: "copy", from: "/a", path: "/f" }]) as any;
    expect(copied.f).toEqual({ b: 1, c: [1, 2, 3] });
    copied.f.c.push(9);
    expect(copied.a.c).toEqual([1, 2, 3]); // a deep copy
  });
  test("~0 and ~1 escapes", () => {
    const doc = { "a/b": 1, "m~n": 2, annotations: {} };
    expect(applyJsonPatch(doc, [{ op: "replace", path: "/a~1b", value: 3 }])).toMatchObject({ "a/b": 3 });
    expect(applyJsonPatch(doc, [{ op: "remove", path: "/m~0n" }])).toEqual({ "a/b": 1, annotations: {} });
    expect(applyJsonPatch(doc, [{ op: "add", path: "/annotations/kubernetes.io~1x", value: "v" }])).toMatchObject({
      annotations: { "kubernetes.io/x": "v" },
    });
  });
  test("test op passes and fails with upstream's 422", () => {
    expect(applyJsonPatch({ a: [1, { b: 2 }] }, [{ op: "test", path: "/a", value: [1, { b: 2 }] }])).toEqual({ a: [1, { b: 2 }] });
    const e = fails({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]);
    expect(e.code).toBe(422);
    expect(e.reason).toBe("Invalid");
    expect(e.status.message).toBe("the server rejected our request due to an error in our request");
    expect(e.status.details?.causes?.[0]?.message).toBe("testing value /a failed: test failed");
  });
  test("patches are atomic: a failing op leaves nothing applied", () => {
    const doc = { a: 1 };
    fails(doc, [{ op: "add", path: "/b", value: 2 }, { op: "test", path: "/a", value: 9 }]);
    expect(doc).toEqual({ a: 1 });
  });
  test("missing paths and bad indices are 422 with the library's message", () => {
    expect(fails({}, [{ op: "remove", path: "/x" }]).status.details?.causes?.[0]?.message).toBe(
      "error in remove for path: '/x': Unable to remove nonexistent key: x: missing value",
    );
    expect(fails({}, [{ op: "add", path: "/a/b", value: 1 }]).status.details?.causes?.[0]?.message).toBe(
      'add operation does not apply: doc is missing path: "/a/b": missing value',
    );
    expect(fails({ l: [1] }, [{ op: "add", path: "/l/5", value: 1 }]).code).toBe(422);
    expect(fails({ l: [1] }, [{ op: "replace", path: "/l/3", value: 1 }]).status.details?.causes?.[0]?.message).toBe(
      "replace operation does not apply: doc is missing key: /l/3: missing value",
    );
    expect(fails({}, [{ op: "frobnicate", path: "/a" }]).status.details?.causes?.[0]?.message).toBe("Unexpected kind: frobnicate");
  });
  test("negative indices count from the end, as the v4 library", () => {
    expect(applyJsonPatch({ l: [1, 2, 3] }, [{ op: "remove", path: "/l/-1" }])).toEqual({ l: [1, 2] });
  });
  test("malformed patches are 400; too many operations are 413", () => {
    const e = fails({}, { op: "add" });
    expect(e.code).toBe(400);
    expect(e.status.message).toBe("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    expect(fails({}, ["x"]).code).toBe(400);
    const many = Array.from({ length: 10001 }, () => ({ op: "test", path: "/a", value: null }));
    expect(fails({}, many).code).toBe(413);
  });
  test("kubectl rollout undo shape: replace template and annotations", () => {
    const dep = { metadata: { annotations: { a: "1" } }, spec: { template: { spec: { containers: [{ name: "c", image: "v2" }] } } } };
    const out = applyJsonPatch(dep, [
      { op: "replace", path: "/spec/template", value: { spec: { containers: [{ name: "c", image: "v1" }] } } },
      { op: "replace", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "1" } },
    ]);
    expect(out).toEqual({
      metadata: { annotations: { "deployment.kubernetes.io/revision": "1" } },
      spec: { template: { spec: { containers: [{ name: "c", image: "v1" }] } } },
    });
  });
});
