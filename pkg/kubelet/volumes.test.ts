import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { containerMounts, formatMap, MountError, setupVolumes, teardownVolumes, type VolumeSources } from "./volumes.ts";
import { isMountPoint, unmountBelow } from "../runtime/index.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-vol-"));
afterAll(() => {
  unmountBelow(dir); // tmpfs volumes a failed test left behind
  rmSync(dir, { recursive: true, force: true });
});

const sources: VolumeSources = {
  configMap: (_ns, n) => (n === "cm" ? { data: { a: "1", b: "2" }, binaryData: { bin: Buffer.from([0, 1, 2]).toString("base64") } } : undefined),
  secret: (_ns, n) => (n === "s" ? { data: { token: Buffer.from("t0k").toString("base64") } } : undefined),
  persistentVolume: async (_ns, claim) => (claim === "bound" ? { metadata: { name: "pv1" }, spec: { hostPath: { path: join(dir, "pv1") } } } : undefined),
  serviceAccountToken: async () => undefined,
  field: (p) => ({ "metadata.name": "p", "metadata.namespace": "ns" } as Record<string, string>)[p],
  nodeAllocatable: { cpu: "2", memory: "1Gi" },
};
const pod = (volumes: any[]) => ({ metadata: { name: "p", namespace: "ns", labels: { b: "2", a: "x\"y" } }, spec: { volumes, containers: [] } });

describe("volumes", () => {
  test("configMap with items and modes, secret decoded, downwardAPI labels, PVC hostPath", async () => {
    const podDir = join(dir, "pod1");
    const p = pod([
      { name: "cm", configMap: { name: "cm", items: [{ key: "a", path: "sub/a.txt", mode: 0o600 }, { key: "bin", path: "bin" }] } },
      { name: "sec", secret: { secretName: "s", defaultMode: 0o400 } },
      { name: "info", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }, { path: "name", fieldRef: { fieldPath: "metadata.name" } }] } },
      { name: "data", persistentVolumeClaim: { claimName: "bound" } },
    ]);
    const paths = await setupVolumes(p, podDir, sources);
    expect(readFileSync(join(paths.get("cm")!, "sub/a.txt"), "utf8")).toBe("1");
    expect(statSync(join(paths.get("cm")!, "sub/a.txt")).mode & 0o777).toBe(0o600);
    expect([...readFileSync(join(paths.get("cm")!, "bin"))]).toEqual([0, 1, 2]);
    expect(existsSync(join(paths.get("cm")!, "b"))).toBe(false);
    expect(readFileSync(join(paths.get("sec")!, "token"), "utf8")).toBe("t0k");
    expect(statSync(join(paths.get("sec")!, "token")).mode & 0o777).toBe(0o400);
    expect(readFileSync(join(paths.get("info")!, "labels"), "utf8")).toBe('a="x\\"y"\nb="2"');
    expect(paths.get("data")).toBe(join(dir, "pv1"));
    expect(existsSync(join(dir, "pv1"))).toBe(true); // DirectoryOrCreate for provisioned hostPath PVs
    // secrets live on tmpfs, as upstream's memory-backed wrapper; configMaps on disk
    const fsType = (d: string) => readFileSync("/proc/self/mountinfo", "utf8").split("\n").find((l) => l.split(" ")[4] === d)?.split(" - ")[1]?.split(" ")[0];
    expect(isMountPoint(paths.get("sec")!)).toBe(true);
    expect(fsType(paths.get("sec")!)).toBe("tmpfs");
    expect(isMountPoint(paths.get("cm")!)).toBe(false);
    // a resync writes into the same tmpfs instead of stacking another one
    await setupVolumes(p, podDir, sources);
    expect(readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((l) => l.split(" ")[4] === paths.get("sec")).length).toBe(1);
    await teardownVolumes(p, podDir);
    expect(isMountPoint(paths.get("sec")!)).toBe(false);
    // after a reboot the (empty) directory is still there but its tmpfs is gone: mounted again
    await setupVolumes(p, podDir, sources);
    expect(fsType(paths.get("sec")!)).toBe("tmpfs");
    expect(readFileSync(join(paths.get("sec")!, "token"), "utf8")).toBe("t0k");
    await teardownVolumes(p, podDir);
    // a secret directory that already holds files on disk (an older kubun wrote it) is used as it is
    await setupVolumes(p, podDir, sources);
    await teardownVolumes(p, podDir);
    writeFileSync(join(paths.get("sec")!, "on-disk"), "x");
    await setupVolumes(p, podDir, sources);
    expect(isMountPoint(paths.get("sec")!)).toBe(false);
    expect(readFileSync(join(paths.get("sec")!, "token"), "utf8")).toBe("t0k");
    rmSync(podDir, { recursive: true });
  });
  test("missing sources, unbound claims and hostPath type checks are mount errors; optional ones are empty", async () => {
    const podDir = join(dir, "pod2");
    await expect(setupVolumes(pod([{ name: "x", configMap: { name: "nope" } }]), podDir, sources)).rejects.toThrow('configmap "nope" not found');
    await expect(setupVolumes(pod([{ name: "x", configMap: { name: "nope", optional: true } }]), podDir, sources)).resolves.toBeDefined();
    await expect(setupVolumes(pod([{ name: "x", persistentVolumeClaim: { claimName: "pending" } }]), podDir, sources)).rejects.toThrow(MountError);
    writeFileSync(join(dir, "afile"), "");
    await expect(setupVolumes(pod([{ name: "x", hostPath: { path: join(dir, "afile"), type: "Directory" } }]), podDir, sources)).rejects.toThrow(/is not a directory/);
    const made = await setupVolumes(pod([{ name: "x", hostPath: { path: join(dir, "newfile"), type: "FileOrCreate" } }]), podDir, sources);
    expect(statSync(made.get("x")!).isFile()).toBe(true);
  });
  test("volumeMounts: subPath inside the volume, read-only projections, no escapes", async () => {
    const podDir = join(dir, "pod3");
    const p = pod([{ name: "scratch", emptyDir: {} }, { name: "cm", configMap: { name: "cm" } }]);
    const paths = await setupVolumes(p, podDir, sources);
    const m = containerMounts(p, { volumeMounts: [{ name: "scratch", mountPath: "/s", subPath: "a/b" }, { name: "cm", mountPath: "/c" }] }, paths);
    expect(m[0]).toMatchObject({ source: join(paths.get("scratch")!, "a/b"), target: "/s", readOnly: false });
    expect(m[1]).toMatchObject({ target: "/c", readOnly: true });
    expect(() => containerMounts(p, { volumeMounts: [{ name: "scratch", mountPath: "/s", subPath: "../x" }] }, paths)).toThrow(MountError);
    expect(() => containerMounts(p, { volumeMounts: [{ name: "missing", mountPath: "/m" }] }, paths)).toThrow(/not found/);
    expect(formatMap({ z: "1", a: "2" })).toBe('a="2"\nz="1"');
  });
});
