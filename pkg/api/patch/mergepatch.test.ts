import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import { applyMergePatch } from "./mergepatch.ts";

describe("applyMergePatch (RFC 7386)", () => {
  // The RFC's appendix A examples.
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of cases) {
    test(`${JSON.stringify(doc)} + ${JSON.stringify(patch)}`, () => {
      expect(applyMergePatch(doc, patch)).toEqual(want);
    });
  }
  test("does not mutate its inputs", () => {
    const doc = { metadata: { labels: { a: "1", b: "2" } } };
    const patch = { metadata: { labels: { a: null, c: "3" } } };
    expect(applyMergePatch(doc, patch)).toEqual({ metadata: { labels: { b: "2", c: "3" } } });
    expect(doc).toEqual({ metadata: { labels: { a: "1", b: "2" } } });
    expect(patch.metadata.labels.a).toBeNull();
  });
  test("kubectl scale and label shapes", () => {
    expect(applyMergePatch({ spec: { replicas: 1 }, status: {} }, { spec: { replicas: 3 } })).toEqual({ spec: { replicas: 3 }, status: {} });
    expect(applyMergePatch({ metadata: { name: "x" } }, { metadata: { labels: { app: "web" } } })).toEqual({
      metadata: { name: "x", labels: { app: "web" } },
    });
  });
  test("a scalar or null patch is 400 Invalid JSON Patch", () => {
    for (const p of [null, 5, "x"]) {
      let err: unknown;
      try {
        applyMergePatch({}, p);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(StatusError);
      expect((err as StatusError).code).toBe(400);
      expect((err as StatusError).status.message).toBe("Invalid JSON Patch");
    }
  });
});
