// The sandbox itself: a node starts in its own namespaces and leaves nothing behind.
import { expect, setDefaultTimeout, test } from "bun:test";
setDefaultTimeout(90_000);
import { existsSync } from "node:fs";
import { pidAlive, run, startNode } from "../harness/node.ts";

test("a node runs in its own netns, mount ns and cgroup, and teardown removes everything", async () => {
  const hadRunDir = existsSync("/run/kubun");
  const node = await startNode();
  let pid = -1;
  let dirs: string[] = [];
  try {
    pid = node.pid();
    dirs = node.cgroup.dirs;
    // The server is in a different network namespace from this test process.
    const own = (await run(["readlink", `/proc/${process.pid}/ns/net`])).stdout.trim();
    const its = (await run(["readlink", `/proc/${pid}/ns/net`])).stdout.trim();
    expect(its).not.toBe(own);
    const ownMnt = (await run(["readlink", `/proc/${process.pid}/ns/mnt`])).stdout.trim();
    const itsMnt = (await run(["readlink", `/proc/${pid}/ns/mnt`])).stdout.trim();
    expect(itsMnt).not.toBe(ownMnt);
    expect(node.cgroup.pids()).toContain(pid);
    // The real kubectl reaches it inside the namespace…
    const v = await node.kubectl("1.33", ["version", "-o", "json"]);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout).serverVersion.gitVersion).toMatch(/^v1\.33\.\d+\+kubun\./);
    // …and the test process reaches it through the relay.
    const r = await fetch(`https://127.0.0.1:${node.hostPort}/version`, { tls: { rejectUnauthorized: false } } as any);
    expect(((await r.json()) as { major: string }).major).toBe("1");
  } finally {
    await node.stop();
  }
  expect(pidAlive(pid)).toBe(false);
  for (const d of dirs) expect(existsSync(d)).toBe(false);
  expect((await run(["ip", "netns", "list"])).stdout).not.toContain(node.netns);
  expect(existsSync(node.dir)).toBe(false);
  // pod-netns mount points are made on the host's /run: they go, and so do parents we caused
  expect(existsSync(`/run/kubun/netns/node-${node.id}`)).toBe(false);
  if (!hadRunDir) expect(existsSync("/run/kubun")).toBe(false);
}, 60_000);
