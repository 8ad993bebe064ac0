import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ipam, gatewayOf, ipInCidr } from "./ipam.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-ipam-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("allocates from .2, persists, is idempotent per owner and releases", () => {
  const f = join(dir, "ipam.json");
  const a = new Ipam(f, "10.42.0.0/24");
  expect(gatewayOf("10.42.0.0/24")).toBe("10.42.0.1");
  expect(a.allocate("p1")).toBe("10.42.0.2");
  expect(a.allocate("p2")).toBe("10.42.0.3");
  expect(a.allocate("p1")).toBe("10.42.0.2");
  const b = new Ipam(f, "10.42.0.0/24");
  expect(b.owners().get("p2")).toBe("10.42.0.3");
  b.release("p1");
  expect(new Ipam(f, "10.42.0.0/24").owners().has("p1")).toBe(false);
  expect(ipInCidr("10.42.0.3", "10.42.0.0/16")).toBe(true);
  expect(ipInCidr("10.43.0.3", "10.42.0.0/16")).toBe(false);
});

test("exhaustion is an error", () => {
  const a = new Ipam(join(dir, "small.json"), "10.0.0.0/30");
  expect(a.allocate("x")).toBe("10.0.0.2");
  expect(() => a.allocate("y")).toThrow(/no free address/);
});
