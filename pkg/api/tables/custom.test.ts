import { describe, expect, test } from "bun:test";
import { customColumnsConvertor, evalJSONPath, parseJSONPath } from "./custom.ts";

const NOW = Date.UTC(2024, 0, 10, 12, 0, 0);

describe("custom resource printer columns", () => {
  test("JSONPath subset", () => {
    const o = { spec: { replicas: 3, "a.b": "dotted" }, status: { conditions: [{ type: "Synced", status: "False" }, { type: "Ready", status: "True" }] }, items: [{ n: 1 }, { n: 2 }] };
    expect(evalJSONPath(o, parseJSONPath(".spec.replicas"))).toEqual([3]);
    expect(evalJSONPath(o, parseJSONPath("{.spec['a.b']}"))).toEqual(["dotted"]);
    expect(evalJSONPath(o, parseJSONPath('.status.conditions[?(@.type=="Ready")].status'))).toEqual(["True"]);
    expect(evalJSONPath(o, parseJSONPath(".items[*].n"))).toEqual([1, 2]);
    expect(evalJSONPath(o, parseJSONPath(".items[-1].n"))).toEqual([2]);
    expect(evalJSONPath(o, parseJSONPath(".spec.missing"))).toEqual([]);
    expect(() => parseJSONPath(".spec[")).toThrow('unrecognized column definition ".spec["');
  });
  test("typed cells and the default Age column", () => {
    const conv = customColumnsConvertor([
      { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status', priority: 1 },
      { name: "Started", type: "date", jsonPath: ".status.startTime" },
      { name: "Paused", type: "boolean", jsonPath: ".spec.paused" },
    ]);
    expect(conv.columns.map((c) => [c.name, c.type, c.priority])).toEqual([["Name", "string", 0], ["Replicas", "integer", 0], ["Ready", "string", 1], ["Started", "date", 0], ["Paused", "boolean", 0]]);
    expect(conv.columns[1]!.description).toBe("Custom resource definition column (in JSONPath format): .spec.replicas");
    const obj = { metadata: { name: "w" }, spec: { replicas: "three", paused: false }, status: { conditions: [{ type: "Ready", status: "True" }], startTime: "2024-01-10T11:58:00Z" } };
    expect(conv.cells(obj, NOW)).toEqual(["w", null, "True", "2m", false]);
    const def = customColumnsConvertor([]);
    expect(def.columns.map((c) => c.name)).toEqual(["Name", "Age"]);
    expect(def.cells({ metadata: { name: "x", creationTimestamp: "2024-01-10T11:59:30Z" } }, NOW)).toEqual(["x", "30s"]);
  });
});
