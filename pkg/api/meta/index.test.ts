import { describe, expect, test } from "bun:test";
import { deepEqual, generateNameFrom, newUID, nowRFC3339, nowRFC3339Micro, randomSuffix, specChanged } from "./index.ts";

describe("meta helpers", () => {
  test("randomSuffix uses upstream's alphabet", () => {
    for (let i = 0; i < 50; i++) expect(randomSuffix(5)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(randomSuffix(8)).toHaveLength(8);
  });
  test("generateName truncates long prefixes to stay a valid name", () => {
    const n = generateNameFrom("x".repeat(100));
    expect(n).toHaveLength(63);
    expect(generateNameFrom("web-")).toMatch(/^web-[a-z0-9]{5}$/);
  });
  test("uid is a v4 uuid and unique", () => {
    const a = newUID();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newUID()).not.toBe(a);
  });
  test("timestamps", () => {
    expect(nowRFC3339(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe("2024-01-02T03:04:05Z");
    expect(nowRFC3339Micro(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe("2024-01-02T03:04:05.678000Z");
    expect(nowRFC3339()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });
  test("specChanged ignores metadata and status only", () => {
    const a = { metadata: { name: "a", labels: { x: "1" } }, spec: { replicas: 1, b: [1, 2] }, status: { r: 1 } };
    expect(specChanged(a, { ...a, metadata: { name: "a" }, status: { r: 2 } })).toBe(false);
    expect(specChanged(a, { ...a, spec: { b: [1, 2], replicas: 1 } })).toBe(false);
    expect(specChanged(a, { ...a, spec: { replicas: 2, b: [1, 2] } })).toBe(true);
    expect(specChanged(a, { ...a, spec: { replicas: 1, b: [2, 1] } })).toBe(true);
    expect(specChanged({ data: { a: "1" } }, { data: { a: "2" } })).toBe(true);
  });
  test("deepEqual", () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual([1], [1, 2])).toBe(false);
  });
});
