import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readlinkSync, rmSync, existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atomicWrite } from "./atomic.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("writes through ..data, swaps atomically, removes stale names", () => {
  expect(atomicWrite(dir, { a: { data: "1", mode: 0o644 }, "sub/b": { data: "2", mode: 0o400 } })).toBe(true);
  expect(readFileSync(join(dir, "a"), "utf8")).toBe("1");
  expect(readFileSync(join(dir, "sub/b"), "utf8")).toBe("2");
  expect(readlinkSync(join(dir, "a"))).toBe("..data/a");
  expect(statSync(join(dir, "sub/b")).mode & 0o777).toBe(0o400);
  const first = readlinkSync(join(dir, "..data"));
  expect(atomicWrite(dir, { a: { data: "1", mode: 0o644 }, "sub/b": { data: "2", mode: 0o400 } })).toBe(false);
  expect(atomicWrite(dir, { a: { data: "new", mode: 0o644 } })).toBe(true);
  expect(readFileSync(join(dir, "a"), "utf8")).toBe("new");
  expect(existsSync(join(dir, "sub"))).toBe(false);
  expect(existsSync(join(dir, first))).toBe(false);
});
