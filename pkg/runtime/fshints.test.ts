import { afterAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spreadSubdirs } from "./fshints.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-fshints-"));
const shm = mkdtempSync("/dev/shm/kubun-fshints-");
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(shm, { recursive: true, force: true });
});
const fsType = (p: string) => Bun.spawnSync(["stat", "-f", "-c", "%T", p]).stdout.toString().trim();
const lsattr = (p: string) => Bun.spawnSync(["lsattr", "-d", p]).stdout.toString().split(" ")[0] ?? "";

test("ext4 directories get the Orlov top-directory flag (chattr +T); other filesystems are left alone", () => {
  const d = join(dir, "containers");
  mkdirSync(d);
  if (fsType(d).startsWith("ext")) {
    expect(spreadSubdirs(d)).toBe(true);
    expect(lsattr(d)).toContain("T");
    expect(spreadSubdirs(d)).toBe(true); // idempotent
  } else expect(typeof spreadSubdirs(d)).toBe("boolean");
  // tmpfs has no such flag: no error, just false
  expect(fsType(shm)).toBe("tmpfs");
  expect(spreadSubdirs(shm)).toBe(false);
  expect(spreadSubdirs(join(dir, "missing"))).toBe(false);
});
