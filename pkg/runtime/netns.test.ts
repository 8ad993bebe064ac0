import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewNetns } from "./netns.ts";
import { unmountBelow } from "./hostmounts.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-netns-"));
afterAll(() => {
  unmountBelow(dir);
  rmSync(dir, { recursive: true, force: true });
});
const sh = (argv: string[]) => Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });

test("a new network namespace is kept at the path and the program ran inside it", async () => {
  const path = join(dir, "ns1"); // made by the helper as the mount point
  await runInNewNetns(path, ["ip", "-batch", "-"], "link set lo up\nlink add kbn-t-a type veth peer name kbn-t-b\n");
  const inside = sh(["nsenter", `--net=${path}`, "ip", "-o", "link"]).stdout.toString();
  expect(inside).toContain("kbn-t-a");
  expect(inside).toMatch(/lo: <LOOPBACK,UP,LOWER_UP>/);
  // …and not in ours
  expect(sh(["ip", "-o", "link"]).stdout.toString()).not.toContain("kbn-t-a");
  expect(unmountBelow(path)).toEqual([]);
});

test("a failing program is an error with its exit code and stderr", async () => {
  const path = join(dir, "ns2");
  writeFileSync(path, "");
  const err = await runInNewNetns(path, ["ip", "-batch", "-"], "link set no-such-device up\n").catch((e) => e);
  expect(String(err)).toMatch(/ip -batch -: exit 1: .*no-such-device/s);
  unmountBelow(path);
  await expect(runInNewNetns("/proc/kubun-no-such-dir/ns", ["ip", "-batch", "-"], "")).rejects.toThrow(/mount \/proc\/self\/ns\/net on \/proc\/kubun-no-such-dir\/ns: mount: ENOENT/);
  await expect(runInNewNetns(path, ["no-such-program-kubun"], "")).rejects.toThrow("not found");
});
