import { describe, expect, test } from "bun:test";
import { difference, fromFieldsV1, has, intersection, isEmpty, pathString, paths, recursiveDifference, setOf, toFieldsV1, union } from "./fieldset.ts";

describe("field sets", () => {
  const a = setOf([
    ["f:metadata", "f:labels", "f:app"],
    ["f:spec", "f:replicas"],
    ["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}'],
    ["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"],
  ]);
  test("FieldsV1 encoding uses '.' for an element that is also a parent, and round-trips", () => {
    const v1 = toFieldsV1(a);
    expect(v1).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": { "f:replicas": {}, "f:template": { "f:spec": { "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {} } } } } },
    });
    expect(Object.keys((v1["f:spec"] as any)["f:template"]["f:spec"]["f:containers"]['k:{"name":"nginx"}'])[0]).toBe(".");
    expect(toFieldsV1(fromFieldsV1(v1))).toEqual(v1);
    expect(has(fromFieldsV1(v1), ["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}'])).toBe(true);
    expect(has(fromFieldsV1(v1), ["f:spec", "f:template"])).toBe(false);
  });
  test("set algebra", () => {
    const b = setOf([["f:spec", "f:replicas"], ["f:data", "f:x"]]);
    expect(paths(intersection(a, b))).toEqual([["f:spec", "f:replicas"]]);
    expect(has(difference(a, b), ["f:spec", "f:replicas"])).toBe(false);
    expect(has(difference(a, b), ["f:metadata", "f:labels", "f:app"])).toBe(true);
    expect(has(union(a, b), ["f:data", "f:x"])).toBe(true);
    expect(isEmpty(difference(a, a))).toBe(true);
    expect(paths(recursiveDifference(a, setOf([["f:spec"]])))).toEqual([["f:metadata", "f:labels", "f:app"]]);
  });
  test("paths print as upstream's conflict fields", () => {
    expect(pathString(["f:spec", "f:replicas"])).toBe(".spec.replicas");
    expect(pathString(["f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"])).toBe('.spec.containers[name="nginx"].image');
    expect(pathString(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}'])).toBe('.ports[containerPort=80,protocol="TCP"]');
    expect(pathString(["f:finalizers", 'v:"a"'])).toBe('.finalizers[=a]'.replace("=a", '="a"'));
    expect(pathString(["f:x", "i:3"])).toBe(".x[3]");
  });
  test("fields and keys sort as structured-merge-diff orders them", () => {
    const s = setOf([["v:1"], ["i:0"], ['k:{"a":1}'], ["f:z"], ["f:a"]]);
    expect(Object.keys(toFieldsV1(s))).toEqual(["f:a", "f:z", 'k:{"a":1}', "v:1", "i:0"]);
  });
});
