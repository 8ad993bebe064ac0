// Containers from imported images (OCI and docker-save), multi-layer whiteouts, volumes, shared pod namespaces.
import { test, expect, beforeAll, afterAll } from "bun:test";
import { mkdirSync, writeFileSync, readFileSync, existsSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { LinuxRuntime } from "./runtime.ts";
import { createTestEnv, type TestEnv } from "./test-env.ts";
import { ContentStore } from "./images/store.ts";
import { buildBusyboxImage, busyboxLayer } from "../../test/fixtures/busybox-image.ts";
import { packTar } from "../../test/fixtures/image/tar.ts";
import type { ContainerSpec } from "./types.ts";

let env: TestEnv;
let rt: LinuxRuntime;
let store: ContentStore;
let n = 0;

beforeAll(async () => {
  env = await createTestEnv();
  rt = new LinuxRuntime({ stateDir: join(env.dir, "state"), cgroupRoot: env.cgroupRoot, cgroups: env.cgroups, pollIntervalMs: 20 });
  store = new ContentStore({ root: join(env.dir, "images") });
});

afterAll(async () => {
  for (const c of rt?.list() ?? []) if (c.state === "running") await rt.stop(c.id, 0);
  await rt?.close();
  env?.cleanup();
});

function spec(layers: string[], script: string, extra: Partial<ContainerSpec> = {}): ContainerSpec {
  const id = `p${++n}`;
  return { id, podId: "pod", layers, argv: ["/bin/sh", "-c", script], env: ["PATH=/bin:/usr/bin:/sbin:/usr/sbin"],
    cgroupParent: "kubepods/burstable/podpod", logPath: join(env.dir, "logs", `${id}.log`), ...extra };
}
const out = (s: ContainerSpec) => readFileSync(s.logPath, "utf8").split("\n").filter(Boolean).map((l) => l.split(" ").slice(3).join(" ")).join("\n");

async function run(s: ContainerSpec) {
  await rt.start(s);
  return { st: await rt.wait(s.id, 20_000), log: out(s) };
}

test("containers run from OCI (zstd) and docker-save imports", async () => {
  for (const [format, compress] of [["oci", "zstd"], ["docker", "none"]] as const) {
    const archive = await buildBusyboxImage({ dir: join(env.dir, `arch-${format}`), format, compress, name: `example.com/bb-${format}:1` });
    await store.importArchive(archive);
    const img = store.resolve(`example.com/bb-${format}:1`);
    const { st, log } = await run(spec(img.layerDirs, "grep ^user: /etc/passwd; cat /var/www/index.html"));
    expect(st.exitCode).toBe(0);
    expect(log).toBe("user:x:1000:1000:user:/home/user:/bin/sh\nhello from busybox");
  }
});

test("a whiteout and an opaque directory in an upper layer hide lower files", async () => {
  const base = await busyboxLayer();
  const top = await packTar([
    { name: "etc/", type: "directory", mode: 0o755 },
    { name: "etc/.wh.group", data: "" },
    { name: "var/www/", type: "directory", mode: 0o755 },
    { name: "var/www/.wh..wh..opq", data: "" },
    { name: "var/www/new.html", data: "new\n" },
  ]);
  const sha = (b: Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
  const b1 = await store.putBlobBytes(base), b2 = await store.putBlobBytes(top);
  const cfg = await store.putBlobBytes(Buffer.from(JSON.stringify({ os: "linux", architecture: "amd64", rootfs: { type: "layers", diff_ids: [sha(base), sha(top)] } })));
  const man = await store.putBlobBytes(Buffer.from(JSON.stringify({ config: cfg, layers: [b1, b2] })));
  await store.addImage({ manifestDigest: man, configDigest: cfg, layerDigests: [b1, b2], refs: ["example.com/layered:1"] });
  const img = store.resolve("example.com/layered:1");
  expect(img.layerDirs).toHaveLength(2);
  const { log } = await run(spec(img.layerDirs, "test -e /etc/group && echo group || echo nogroup; test -e /etc/passwd && echo passwd; ls /var/www"));
  expect(log).toBe("nogroup\npasswd\nnew.html");
});

test("volumes: read-write, read-only, a file bind, and a target below an image symlink", async () => {
  const linkLayer = join(env.dir, "link-layer");
  mkdirSync(join(linkLayer, "srv"), { recursive: true });
  symlinkSync("/srv", join(linkLayer, "link")); // absolute: must resolve inside the container root, not on the host
  const img = [...store.resolve("example.com/bb-oci:1").layerDirs, linkLayer];
  const hostSrvVol = existsSync("/srv/vol");
  const rw = join(env.dir, "vol-rw"), ro = join(env.dir, "vol-ro"), file = join(env.dir, "cfg.txt");
  mkdirSync(rw, { recursive: true });
  mkdirSync(ro, { recursive: true });
  writeFileSync(join(ro, "data"), "ro-data\n");
  writeFileSync(file, "file-bind\n");
  const s = spec(img, "echo hi > /data/out && echo rw-ok; cat /config/data; echo x 2>/dev/null > /config/y || echo ro-refused; cat /etc/app.conf; cat /srv/vol/data", {
    mounts: [{ source: rw, target: "/data" }, { source: ro, target: "/config", readOnly: true }, { source: file, target: "/etc/app.conf", readOnly: true },
      { source: ro, target: "/link/vol", readOnly: true }],
  });
  const { log } = await run(s);
  expect(log).toBe("rw-ok\nro-data\nro-refused\nfile-bind\nro-data");
  expect(existsSync("/srv/vol")).toBe(hostSrvVol);
  expect(readFileSync(join(rw, "out"), "utf8")).toBe("hi\n");
  expect(existsSync(join(ro, "y"))).toBe(false);
});

test("a second container shares the pod's network, IPC, UTS and PID namespaces", async () => {
  const img = store.resolve("example.com/bb-oci:1").layerDirs;
  const pause = spec(img, "exec sleep 60", { hostname: "pod-host" });
  const first = await rt.start(pause);
  const s = spec(img, "hostname; ps -o comm | grep -c sleep; readlink /proc/1/ns/net", {
    netnsPath: `/proc/${first.pid}/ns/net`, sharedIpcFrom: first.pid, sharedUtsFrom: first.pid, sharedPidFrom: first.pid,
  });
  const { st, log } = await run(s);
  expect(st.exitCode).toBe(0);
  const [host, sleeps] = log.split("\n");
  expect(host).toBe("pod-host");
  expect(Number(sleeps)).toBe(1); // sees the pause container's process
  const { readlinkSync } = await import("node:fs");
  expect(log.split("\n")[2]).toBe(readlinkSync(`/proc/${first.pid}/ns/net`));
  await rt.stop(pause.id, 0);
});
