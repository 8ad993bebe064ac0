// JSON keys such as "__proto__" are data: no patch may touch a prototype.
import { afterEach, describe, expect, test } from "bun:test";
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from "./index.ts";
import { POD, fixtureSchemas } from "./testdata/schemas.ts";

const polluted = () => ({}) as Record<string, unknown>;

describe("prototype keys", () => {
  afterEach(() => {
    expect(polluted().polluted).toBeUndefined();
  });
  test("merge patch", () => {
    const out = applyMergePatch({ a: {} }, JSON.parse('{"__proto__": {"polluted": 1}, "a": {"__proto__": {"polluted": 2}}}')) as any;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"a":{"__proto__":{"polluted":2}},"__proto__":{"polluted":1}}');
  });
  test("json patch", () => {
    const out = applyJsonPatch({}, [{ op: "add", path: "/__proto__", value: { polluted: 1 } }]) as any;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":1}}');
  });
  test("strategic merge patch", () => {
    const out = applyStrategicMergePatch({ spec: {} }, JSON.parse('{"spec": {"__proto__": {"polluted": 1}}, "__proto__": {"polluted": 1}}'), fixtureSchemas, POD) as any;
    expect(Object.getPrototypeOf(out.spec)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"spec":{"__proto__":{"polluted":1}},"__proto__":{"polluted":1}}');
  });
});
