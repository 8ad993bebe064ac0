// A test run killed with SIGKILL leaves its node behind; the next harness start removes it.
import { expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, pidAlive, run, startNode } from "../harness/node.ts";
setDefaultTimeout(90_000);

test("nodes of a SIGKILLed test process are reaped by the next start", async () => {
  const script = join(REPO, "test", "e2e", ".reaper-child.ts");
  writeFileSync(script, `import { startNode } from "../harness/node.ts";\nconst n = await startNode();\nconsole.log(JSON.stringify({ netns: n.netns, dir: n.dir, pid: n.pid(), cg: n.cgroup.dirs }));\nawait Bun.sleep(60_000);\n`);
  const child = Bun.spawn([process.execPath, script], { cwd: REPO, stdout: "pipe", stderr: "inherit" });
  let info: { netns: string; dir: string; pid: number; cg: string[] };
  try {
    const reader = child.stdout.getReader();
    let out = "";
    while (!out.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("child ended early");
      out += new TextDecoder().decode(value);
    }
    info = JSON.parse(out.trim());
  } finally {
    child.kill("SIGKILL");
    await child.exited;
    await run(["rm", "-f", script]);
  }
  // Killed outright: nothing ran its teardown.
  expect(pidAlive(info.pid)).toBe(true);
  expect((await run(["ip", "netns", "list"])).stdout).toContain(info.netns);
  const next = await startNode();
  await next.stop();
  expect(pidAlive(info.pid)).toBe(false);
  expect((await run(["ip", "netns", "list"])).stdout).not.toContain(info.netns);
  expect(existsSync(info.dir)).toBe(false);
  for (const d of info.cg) expect(existsSync(d)).toBe(false);
});
