import { test, expect, afterAll } from "bun:test";
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mknod } from "../../ffi/libc.ts";
import { resolveUser } from "./user.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-user-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lower = join(dir, "lower"), upper = join(dir, "upper");
mkdirSync(join(lower, "etc"), { recursive: true });
mkdirSync(join(upper, "etc"), { recursive: true });
writeFileSync(join(lower, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nold:x:5:5::/:/bin/sh\n");
writeFileSync(join(upper, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:u:/home/user:/bin/sh\n");
writeFileSync(join(lower, "etc/group"), "root:x:0:\nuser:x:1000:\nwheel:x:10:user,other\naudio:x:29:user\n");

test("names, numbers, groups and supplementary groups from the top-most layer", () => {
  const layers = [lower, upper];
  expect(resolveUser(layers, undefined)).toEqual({ uid: 0, gid: 0, groups: [0], home: "/root" });
  expect(resolveUser(layers, "user")).toEqual({ uid: 1000, gid: 1000, groups: [1000, 10, 29], home: "/home/user" });
  expect(resolveUser(layers, "1000:wheel").gid).toBe(10);
  expect(resolveUser(layers, "4242")).toEqual({ uid: 4242, gid: 0, groups: [0], home: "/" });
  expect(() => resolveUser(layers, "old")).toThrow(/unable to find user old/); // hidden by the upper passwd
  expect(() => resolveUser(layers, "user:nogroup")).toThrow(/unable to find group/);
});

test("a whiteout hides a lower passwd", () => {
  const wh = join(dir, "wh");
  mkdirSync(join(wh, "etc"), { recursive: true });
  mknod(join(wh, "etc/passwd"), 0o020000 | 0o600, 0, 0);
  expect(() => resolveUser([lower, wh], "root")).toThrow(/unable to find user root/);
});
