// --disable switches components off: local-storage (no local-path StorageClass), scheduler, metrics.
import { expect, setDefaultTimeout, test } from "bun:test";
import { startNode } from "../harness/node.ts";
setDefaultTimeout(90_000);

test("disabled components do not run", async () => {
  const on = await startNode({ args: ["--disable", "agent"] });
  try {
    // The provisioner creates its default StorageClass at start.
    for (let i = 0; i < 50 && (await on.kubectl("1.33", ["get", "storageclass", "local-path"])).code !== 0; i++) await Bun.sleep(100);
    expect((await on.kubectl("1.33", ["get", "storageclass", "local-path", "-o", "name"])).stdout.trim()).toBe("storageclass.storage.k8s.io/local-path");
  } finally {
    await on.stop();
  }
  const off = await startNode({ args: ["--disable", "agent", "--disable", "local-storage,scheduler", "--disable=metrics"] });
  try {
    await Bun.sleep(1500);
    expect((await off.kubectl("1.33", ["get", "storageclass", "local-path"])).code).not.toBe(0);
    expect((await off.kubectl("1.33", ["run", "p", "--image=busybox", "--restart=Never"])).code).toBe(0);
    await Bun.sleep(1000);
    // A running scheduler with no nodes would have set PodScheduled=False by now.
    expect((await off.kubectl("1.33", ["get", "pod", "p", "-o", "jsonpath={.spec.nodeName}|{.status.conditions}"])).stdout).toBe("|");
  } finally {
    await off.stop();
  }
});
