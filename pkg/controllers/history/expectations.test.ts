import { describe, expect, test } from "bun:test";
import { createExpectations } from "./expectations.ts";

const pod = (uid: string, deleting = false) => ({ metadata: { uid, ...(deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z" } : {}) } });

describe("expectations", () => {
  test("creations and deletions must be observed; the TTL releases a lost one", () => {
    let now = 0;
    const e = createExpectations(() => now);
    expect(e.satisfied("ns/a", [])).toBe(true);
    e.expectCreated("ns/a", ["u1", "u2"]);
    expect(e.satisfied("ns/a", [pod("u1")])).toBe(false);
    e.observe("ns/a", pod("u2"), false);
    expect(e.satisfied("ns/a", [pod("u1")])).toBe(true);
    e.expectDeleted("ns/a", ["u1"]);
    expect(e.satisfied("ns/a", [pod("u1")])).toBe(false);
    expect(e.satisfied("ns/a", [pod("u1", true)])).toBe(true);
    e.expectCreated("ns/b", ["lost"]);
    now = 5 * 60_000 + 1;
    expect(e.satisfied("ns/b", [])).toBe(true);
  });
});
