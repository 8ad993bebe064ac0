// Auto-deployed manifests: files under <data-dir>/server/manifests are applied and kept applied.
import { expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startNode, waitFor } from "../harness/node.ts";
setDefaultTimeout(120_000);

const deploy = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: auto
  namespace: default
spec:
  replicas: 1
  selector: {matchLabels: {app: auto}}
  template:
    metadata: {labels: {app: auto}}
    spec:
      containers: [{name: c, image: ${image}}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: auto-cm}
data: {k: v}
`;

test("a manifest is applied at start, re-applied on edit, .skip ignored, removal deletes", async () => {
  const node = await startNode({
    args: ["--disable", "agent"],
    prepare: (dataDir) => {
      mkdirSync(join(dataDir, "server", "manifests"), { recursive: true });
      writeFileSync(join(dataDir, "server", "manifests", "auto.yaml"), deploy("busybox:1"));
      writeFileSync(join(dataDir, "server", "manifests", "ignored.yaml.skip"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: skipped}\n");
    },
  });
  try {
    const dir = join(node.dataDir, "server", "manifests");
    const get = async (args: string[]) => (await node.kubectl("1.33", args)).stdout;
    // Applied before the node reports ready.
    expect(await get(["get", "deploy", "auto", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])).toBe("busybox:1");
    expect(await get(["get", "cm", "auto-cm", "-o", "jsonpath={.data.k}"])).toBe("v");
    expect((await node.kubectl("1.33", ["get", "cm", "skipped"])).code).not.toBe(0);
    const mf = JSON.parse(await get(["get", "deploy", "auto", "-o", "json", "--show-managed-fields"])).metadata.managedFields;
    expect(mf.some((m: any) => m.manager === "kubun" && m.operation === "Apply")).toBe(true);
    writeFileSync(join(dir, "auto.yaml.tmp"), deploy("busybox:2"));
    renameSync(join(dir, "auto.yaml.tmp"), join(dir, "auto.yaml"));
    await waitFor("the edit to be applied", async () => (await get(["get", "deploy", "auto", "-o", "jsonpath={.spec.template.spec.containers[0].image}"])) === "busybox:2", 30_000);
    rmSync(join(dir, "auto.yaml"));
    await waitFor("the objects of the removed file to go", async () => (await node.kubectl("1.33", ["get", "cm", "auto-cm"])).code !== 0, 30_000);
    expect(node.logs()).toContain("applied manifest");
  } finally {
    await node.stop();
  }
});
