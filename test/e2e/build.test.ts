// `bun run build` makes one executable that works alone when copied elsewhere.
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, run, startNode } from "../harness/node.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-build-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the compiled binary runs alone with --version, --help and server --help", async () => {
  const out = join(dir, "build", "kubun");
  const b = await run([process.execPath, join(REPO, "cmd", "build.ts"), out], { cwd: REPO, timeoutMs: 180_000 });
  expect(b.code).toBe(0);
  const alone = join(dir, "empty");
  await run(["mkdir", "-p", alone]);
  copyFileSync(out, join(alone, "kubun"));
  await run(["chmod", "755", join(alone, "kubun")]);
  expect(readdirSync(alone)).toEqual(["kubun"]);
  expect(statSync(join(alone, "kubun")).size).toBeGreaterThan(1_000_000);
  const env = { PATH: "/usr/bin:/bin", NODE_PATH: "" };
  const v = await run(["./kubun", "--version"], { cwd: alone, env });
  expect(v.code).toBe(0);
  expect(v.stdout).toMatch(/^kubun version v1\.33\.\d+\+kubun\.[0-9a-f]{7,}/);
  const h = await run(["./kubun", "--help"], { cwd: alone, env });
  expect(h.stdout).toContain("server");
  const sh = await run(["./kubun", "server", "--help"], { cwd: alone, env });
  expect(sh.code).toBe(0);
  expect(sh.stdout).toContain("--data-dir");
  expect(sh.stdout).toContain("--write-kubeconfig");
  const bad = await run(["./kubun", "server", "--no-such-flag"], { cwd: alone, env });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("unknown flag");
}, 240_000);

test("the binary copied alone into an empty directory starts a node that kubectl can use", async () => {
  const out = join(dir, "alone2", "kubun");
  const b = await run([process.execPath, join(REPO, "cmd", "build.ts"), out], { cwd: REPO, timeoutMs: 180_000 });
  expect(b.code).toBe(0);
  expect(readdirSync(join(dir, "alone2"))).toEqual(["kubun"]);
  const node = await startNode({ binary: out });
  try {
    const v = await node.kubectl("1.33", ["version", "-o", "json"]);
    expect(JSON.parse(v.stdout).serverVersion.gitVersion).toMatch(/^v1\.33\.\d+\+kubun\.[0-9a-f]{7,}$/);
    expect((await node.kubectl("1.33", ["create", "configmap", "from-binary", "--from-literal=a=b"])).code).toBe(0);
    expect((await node.kubectl("1.33", ["get", "cm", "from-binary", "-o", "jsonpath={.data.a}"])).stdout).toBe("b");
  } finally {
    await node.stop();
  }
}, 240_000);

test("invoked through a symlink named kubectl, the binary acts as kubun kubectl", async () => {
  const out = join(dir, "link", "kubun");
  const b = await run([process.execPath, join(REPO, "cmd", "build.ts"), out], { cwd: REPO, timeoutMs: 180_000 });
  expect(b.code).toBe(0);
  await run(["ln", "-s", "kubun", join(dir, "link", "kubectl")]);
  const h = await run([join(dir, "link", "kubectl"), "--help"]);
  expect(h.stdout).toContain("kubectl controls the Kubernetes cluster manager");
  const node = await startNode({ args: ["--disable", "agent"] });
  try {
    const r = await node.exec([join(dir, "link", "kubectl"), "--kubeconfig", node.kubeconfig, "get", "ns", "-o", "name"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("namespace/kube-system\n");
  } finally {
    await node.stop();
  }
}, 240_000);
