// kubun's own commands against a sandboxed node: datastore snapshots, tokens, certificates.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { REPO, run, startNode, type TestNode } from "../harness/node.ts";
setDefaultTimeout(120_000);

const kubun = (args: string[]) => run([process.execPath, join(REPO, "cmd", "kubun.ts"), ...args], { cwd: REPO });
let node: TestNode;
beforeAll(async () => {
  node = await startNode({ args: ["--disable", "agent"] });
});
afterAll(async () => {
  await node?.stop();
});

const objects = async (n: TestNode) => {
  const r = await n.kubectl("1.33", ["get", "configmaps,secrets,deployments", "-n", "snap", "-o", "json"]);
  expect(r.code).toBe(0);
  // kube-root-ca.crt is republished with each node's own CA, so it is not part of the comparison.
  return JSON.parse(r.stdout).items.filter((i: any) => i.metadata.name !== "kube-root-ca.crt").map((i: any) => ({ kind: i.kind, name: i.metadata.name, uid: i.metadata.uid, rv: i.metadata.resourceVersion, data: i.data, spec: i.spec }));
};

test("datastore snapshot save while running, restore into a new data dir → identical objects", async () => {
  for (const args of [["create", "namespace", "snap"], ["create", "configmap", "c1", "-n", "snap", "--from-literal=a=1"], ["create", "secret", "generic", "s1", "-n", "snap", "--from-literal=p=q"], ["create", "deployment", "d1", "-n", "snap", "--image=busybox"]])
    expect((await node.kubectl("1.33", args)).code).toBe(0);
  const before = await objects(node);
  expect(before.length).toBeGreaterThanOrEqual(3);
  const dir = join(node.dir, "snapshots");
  const save = await kubun(["datastore", "snapshot", "save", "--data-dir", node.dataDir, "--dir", dir, "--name", "e2e"]);
  expect(save.code).toBe(0);
  expect(save.stdout).toMatch(/^Snapshot e2e-.*\.db saved to /);
  const ls = await kubun(["datastore", "snapshot", "ls", "--data-dir", node.dataDir, "--dir", dir]);
  expect(ls.stdout).toMatch(/e2e-\S+\.db/);
  const file = join(dir, /(e2e-\S+\.db)/.exec(ls.stdout)![1]);
  // Writes after the snapshot must not appear in the restored cluster.
  expect((await node.kubectl("1.33", ["create", "configmap", "after", "-n", "snap"])).code).toBe(0);
  const restored = await startNode({
    args: ["--disable", "agent"],
    prepare: async (dataDir: string) => {
      mkdirSync(join(dataDir, "server"), { recursive: true });
      // Same CA and certs as the original, as a restore on the same machine keeps them.
      const r = await kubun(["datastore", "snapshot", "restore", file, "--data-dir", dataDir]);
      expect(r.code).toBe(0);
    },
  });
  try {
    const after = await objects(restored);
    expect(after).toEqual(before);
    expect((await restored.kubectl("1.33", ["get", "cm", "after", "-n", "snap"])).code).not.toBe(0);
  } finally {
    await restored.stop();
  }
  const bad = await kubun(["datastore", "snapshot", "restore", join(REPO, "package.json"), "--data-dir", join(node.dir, "x")]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain("not a usable kubun snapshot");
  for (let i = 0; i < 3; i++) await kubun(["datastore", "snapshot", "save", "--data-dir", node.dataDir, "--dir", dir, "--name", "e2e"]);
  const prune = await kubun(["datastore", "snapshot", "prune", "--data-dir", node.dataDir, "--dir", dir, "--name", "e2e", "--snapshot-retention", "2"]);
  expect(prune.code).toBe(0);
  const left = (await kubun(["datastore", "snapshot", "ls", "--dir", dir])).stdout.match(/^e2e-\S+\.db/gm) ?? [];
  expect(left.length).toBe(2);
});

test("token create/list/delete: a new token works at once and stops working when deleted", async () => {
  const created = await kubun(["token", "create", "--data-dir", node.dataDir]);
  expect(created.code).toBe(0);
  const token = created.stdout.trim();
  expect(token).toMatch(/^[0-9a-f]{6}\.[0-9a-f]{32}$/);
  const who = async () => {
    const r = await fetch(`https://127.0.0.1:${node.hostPort}/api/v1/namespaces`, { headers: { authorization: `Bearer ${token}` }, tls: { rejectUnauthorized: false } } as any);
    return r.status;
  };
  expect(await who()).toBe(200);
  expect((await kubun(["token", "list", "--data-dir", node.dataDir])).stdout).toContain(`kubun-token-${token.slice(0, 6)}`);
  expect((await kubun(["token", "delete", token.slice(0, 6), "--data-dir", node.dataDir])).code).toBe(0);
  expect(await who()).toBe(401);
});

test("certificate check reports every certificate as OK", async () => {
  const r = await kubun(["certificate", "check", "--data-dir", node.dataDir]);
  expect(r.code).toBe(0);
  for (const f of ["server-ca.crt", "serving-kube-apiserver.crt", "client-admin.crt"]) expect(r.stdout).toMatch(new RegExp(`^${f.replace(".", "\\.")}\\s+OK\\s+expires`, "m"));
});
