import { test, expect, afterAll, describe } from "bun:test";
import { mkdtempSync, rmSync, lstatSync, readlinkSync, readFileSync, writeFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { ContentStore } from "./store.ts";
import { buildBusyboxImage } from "../../../test/fixtures/busybox-image.ts";
import { packTar, type TarEntry } from "../../../test/fixtures/image/tar.ts";
import { normalizeRef } from "./ref.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-img-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function newStore(name: string) {
  return new ContentStore({ root: join(dir, name) });
}

describe("references", () => {
  test("docker.io and library/ normalisation", () => {
    expect(normalizeRef("busybox")).toBe("docker.io/library/busybox:latest");
    expect(normalizeRef("user/app:1")).toBe("docker.io/user/app:1");
    expect(normalizeRef("index.docker.io/library/busybox:1.36")).toBe("docker.io/library/busybox:1.36");
    expect(normalizeRef("localhost:5000/x/y")).toBe("localhost:5000/x/y:latest");
    expect(normalizeRef(`quay.io/a/b@sha256:${"a".repeat(64)}`)).toBe(`quay.io/a/b@sha256:${"a".repeat(64)}`);
    expect(() => normalizeRef("UPPER/case")).toThrow();
  });
});

describe("archive import", () => {
  const cases: [string, "oci" | "docker", "none" | "gzip" | "zstd", "none" | "gzip"][] = [
    ["oci plain", "oci", "none", "none"],
    ["oci gzip archive, gzip layer", "oci", "gzip", "gzip"],
    ["oci zstd archive", "oci", "zstd", "none"],
    ["docker save", "docker", "none", "none"],
    ["docker save gzip", "docker", "gzip", "none"],
  ];
  for (const [title, format, compress, layerCompress] of cases) {
    test(title, async () => {
      const store = newStore(`s-${title.replace(/\W+/g, "-")}`);
      const archive = await buildBusyboxImage({ dir: join(dir, "archives", title.replace(/\W+/g, "-")), format, compress, layerCompress, name: "docker.io/library/busybox:test" });
      const imgs = await store.importArchive(archive);
      expect(imgs).toHaveLength(1);
      expect(imgs[0].refs).toContain("docker.io/library/busybox:test");
      const r = store.resolve("busybox:test");
      expect(r.layerDirs).toHaveLength(1);
      const root = r.layerDirs[0];
      expect(statSync(join(root, "bin/busybox")).mode & 0o777).toBe(0o755);
      expect(readlinkSync(join(root, "bin/sh"))).toBe("/bin/busybox"); // absolute symlinks kept
      expect(statSync(join(root, "tmp")).mode & 0o7777).toBe(0o1777);
      expect(lstatSync(join(root, "home/user")).uid).toBe(1000);
      expect(readFileSync(join(root, "etc/passwd"), "utf8")).toContain(":1000:1000:");
      expect(r.config.config?.Cmd).toEqual(["sh"]);
      expect(store.get(imgs[0].id)?.id).toBe(imgs[0].id);
      expect(store.list()).toHaveLength(1);
    });
  }

  test("layers are shared between images and collected once unused", async () => {
    const store = newStore("shared");
    // same layer content, different blobs (gzip vs plain) and manifests: one unpacked layer, two images
    const a = await buildBusyboxImage({ dir: join(dir, "arch-a"), format: "oci", layerCompress: "gzip", name: "example.com/a:1" });
    const b = await buildBusyboxImage({ dir: join(dir, "arch-b"), format: "docker", name: "example.com/b:1" });
    await store.importArchive(a);
    await store.importArchive(b);
    expect(store.list()).toHaveLength(2);
    expect(readdirSync(join(store.root, "layers"))).toHaveLength(1);
    await store.remove("example.com/a:1");
    expect(await store.gc()).toBeGreaterThan(0); // a's manifest/config blobs
    expect(readdirSync(join(store.root, "layers"))).toHaveLength(1); // still used by b
    await store.remove("example.com/b:1");
    await store.gc();
    expect(readdirSync(join(store.root, "layers"))).toHaveLength(0);
    expect(readdirSync(join(store.root, "blobs/sha256"))).toHaveLength(0);
  });

  test("gc with removeUnusedImages keeps images in use", async () => {
    const store = newStore("gc-unused");
    await store.importArchive(await buildBusyboxImage({ dir: join(dir, "arch-c"), format: "oci", layerCompress: "gzip", name: "example.com/c:1" }));
    await store.importArchive(await buildBusyboxImage({ dir: join(dir, "arch-d"), format: "docker", name: "example.com/d:1" }));
    await store.gc({ removeUnusedImages: true, keep: ["example.com/d:1"] });
    expect(store.list().flatMap((i) => i.refs)).toEqual(["example.com/d:1"]);
  });
});

/** A single-layer OCI archive around a hand-made layer tar. */
async function ociWithLayer(layer: Buffer, name = "example.com/hostile:1", truncateBy = 0): Promise<string> {
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: [`sha256:${sha(layer)}`] } }));
  const blob = truncateBy ? layer.subarray(0, layer.length - truncateBy) : layer;
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${sha(config)}`, size: config.length },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: `sha256:${sha(blob)}`, size: blob.length }] }));
  const tar = await packTar([
    { name: "oci-layout", data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: "index.json", data: JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { "io.containerd.image.name": name } }] }) },
    { name: `blobs/sha256/${sha(config)}`, data: config },
    { name: `blobs/sha256/${sha(blob)}`, data: blob },
    { name: `blobs/sha256/${sha(manifest)}`, data: manifest },
  ]);
  const p = join(dir, `hostile-${sha(tar).slice(0, 8)}.tar`);
  writeFileSync(p, tar);
  return p;
}

describe("hostile layers are refused and nothing lands outside the store", () => {
  const canary = () => join(dir, "outside");
  const hostile: [string, TarEntry[], RegExp][] = [
    ["path traversal", [{ name: "../../outside/evil", data: "x" }], /escapes the layer root/],
    ["absolute path", [{ name: `${dir}/outside/evil`, data: "x" }], /absolute path/],
    ["symlink escape", [{ name: "esc", type: "symlink", linkname: "/" + "../".repeat(8) + dir.slice(1) + "/outside" }, { name: "esc/evil", data: "x" }], /through symlink/],
    ["relative symlink escape", [{ name: "up", type: "symlink", linkname: "../../../../../../.." }, { name: "up/tmp/evil", data: "x" }], /through symlink/],
    ["device node outside", [{ name: "../outside/null", type: "character-device", devmajor: 1, devminor: 3, mode: 0o666 }], /escapes the layer root/],
    ["hard link to a file outside", [{ name: "h", type: "link", linkname: "../../../../etc/passwd" }], /escapes the layer root/],
  ];
  for (const [title, entries, err] of hostile) {
    test(title, async () => {
      const store = newStore(`hostile-${title.replace(/\W+/g, "-")}`);
      await expect(store.importArchive(await ociWithLayer(await packTar(entries)))).rejects.toThrow(err);
      expect(existsSync(canary())).toBe(false);
      expect(readdirSync(join(store.root, "layers"))).toEqual([]);
      expect(readdirSync(join(store.root, "tmp"))).toEqual([]);
      expect(store.list()).toEqual([]);
    });
  }

  test("a truncated layer is refused", async () => {
    const store = newStore("truncated");
    const layer = await packTar([{ name: "big", data: Buffer.alloc(64 * 1024, 7) }]);
    await expect(store.importArchive(await ociWithLayer(layer, "example.com/t:1", 40 * 1024))).rejects.toThrow(/Unexpected end of data|does not match/);
    expect(readdirSync(join(store.root, "layers"))).toEqual([]);
  });

  test("a truncated gzip archive is refused", async () => {
    const store = newStore("truncated-gz");
    const ok = await buildBusyboxImage({ dir: join(dir, "arch-trunc"), format: "oci", compress: "gzip" });
    const data = readFileSync(ok);
    const p = join(dir, "truncated.tar.gz");
    writeFileSync(p, data.subarray(0, Math.floor(data.length / 2)));
    await expect(store.importArchive(p)).rejects.toThrow();
    expect(store.list()).toEqual([]);
  });

  test("whiteouts, opaque dirs, devices, hard links and xattrs are unpacked the overlay way", async () => {
    const store = newStore("features");
    const layer = await packTar([
      { name: "d/", type: "directory", mode: 0o755 },
      { name: "d/.wh..wh..opq", data: "" },
      { name: "d/file", data: "hello", mode: 0o640, uid: 1000, gid: 1000, pax: { "SCHILY.xattr.user.kubun": "yes" } },
      { name: "d/hard", type: "link", linkname: "d/file" },
      { name: ".wh.gone", data: "" },
      { name: "null", type: "character-device", devmajor: 1, devminor: 3, mode: 0o666 },
      { name: "abs", type: "symlink", linkname: "/etc/passwd" },
    ]);
    await store.importArchive(await ociWithLayer(layer, "example.com/f:1"));
    const root = store.resolve("example.com/f:1").layerDirs[0];
    const gone = lstatSync(join(root, "gone"));
    expect(gone.isCharacterDevice() && gone.rdev === 0).toBe(true);
    const nul = lstatSync(join(root, "null"));
    expect(nul.isCharacterDevice()).toBe(true);
    expect(nul.rdev).toBe(lstatSync("/dev/null").rdev);
    expect(lstatSync(join(root, "d/hard")).ino).toBe(lstatSync(join(root, "d/file")).ino);
    expect(lstatSync(join(root, "d/file")).uid).toBe(1000);
    expect(lstatSync(join(root, "d/file")).mode & 0o777).toBe(0o640);
    expect(readlinkSync(join(root, "abs"))).toBe("/etc/passwd");
    const getxattr = (name: string, p: string) =>
      Bun.spawnSync(["python3", "-c", "import os,sys; sys.stdout.write(os.getxattr(sys.argv[1], sys.argv[2], follow_symlinks=False).decode())", p, name]).stdout.toString();
    expect(getxattr("trusted.overlay.opaque", join(root, "d"))).toBe("y");
    expect(getxattr("user.kubun", join(root, "d/file"))).toBe("yes");
    expect(existsSync(join(root, "d/.wh..wh..opq"))).toBe(false);
  });
});
