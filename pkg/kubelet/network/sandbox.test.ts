// Real namespaces: runs inside a network namespace this test creates and removes.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const id = `kubun-sbx-${process.pid.toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), "kubun-sbx-"));
const run = (argv: string[]) => Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });

beforeAll(() => {
  expect(run(["ip", "netns", "add", id]).exitCode).toBe(0);
});
afterAll(() => {
  run(["ip", "netns", "del", id]);
  rmSync(dir, { recursive: true, force: true });
});

test("two pods on the bridge reach each other and the gateway; teardown releases", async () => {
  // the sandbox code acts on the namespace it runs in: run it in a child inside the test netns
  const script = join(import.meta.dir, "sandbox.fixture.ts");
  const r = Bun.spawnSync(["nsenter", `--net=/run/netns/${id}`, "unshare", "--mount", "--propagation", "private", process.execPath, script, dir], { stdout: "pipe", stderr: "pipe", timeout: 30_000 });
  const out = r.stdout.toString();
  if (r.exitCode !== 0) throw new Error(out + r.stderr.toString());
  const res = JSON.parse(out.trim().split("\n").pop()!);
  expect(res.ips).toEqual(["10.99.0.2", "10.99.0.3"]);
  expect(res.pingPeer).toBe(true);
  expect(res.pingGateway).toBe(true);
  expect(res.hairpin).toBe("1");
  expect(res.after).toEqual([]);
  expect(res.warmClaimed).toBe(true);
  expect(res.pingWarm).toBe(true);
  expect(res.knownWithWarm).toEqual(["pod-a", "pod-b", "pod-c"]);
  expect(res.cIp).toMatch(/^10\.99\.0\.\d+$/);
  // the refilled warm sandbox stays (it is not a pod's) until the pool shrinks
  expect(res.warmLeft).toBe(1);
});
