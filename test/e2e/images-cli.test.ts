// `kubun images` against a data dir: import both archive formats, list, remove.
import { afterAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";
import { REPO, run } from "../harness/node.ts";
setDefaultTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), "kubun-images-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kubun = (args: string[]) => run([process.execPath, join(REPO, "cmd", "kubun.ts"), "images", ...args, "--data-dir", join(dir, "data"), "--registries", join(dir, "none.yaml")], { cwd: REPO });

test("import docker and OCI archives, list them, remove one", async () => {
  const docker = await buildBusyboxImage({ dir: join(dir, "d"), format: "docker", name: "kubun.test/busybox:docker" });
  const oci = await buildBusyboxImage({ dir: join(dir, "o"), format: "oci", name: "kubun.test/busybox:oci", compress: "gzip" });
  const i1 = await kubun(["import", docker]);
  expect(i1.code).toBe(0);
  expect(i1.stdout).toContain("kubun.test/busybox:docker");
  expect((await kubun(["import", oci])).code).toBe(0);
  const ls = await kubun(["ls", "-q"]);
  expect(ls.stdout.split("\n").filter(Boolean).sort()).toEqual(["kubun.test/busybox:docker", "kubun.test/busybox:oci"]);
  const rm = await kubun(["rm", "kubun.test/busybox:docker"]);
  expect(rm.code).toBe(0);
  expect((await kubun(["ls", "-q"])).stdout.trim()).toBe("kubun.test/busybox:oci");
  const missing = await kubun(["rm", "nope:1"]);
  expect(missing.code).toBe(2);
  const bad = await kubun(["import", join(REPO, "package.json")]);
  expect(bad.code).not.toBe(0);
});
