import { test, expect, beforeAll, afterAll } from "bun:test";
import { mkdtempSync, rmSync, readFileSync, writeFileSync, readlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ContentStore } from "./store.ts";
import { busyboxLayer } from "../../../test/fixtures/busybox-image.ts";
import { startRegistry, Pusher, type TestRegistry } from "./testdata/registry.ts";
import { MEDIA, hostPlatform } from "./manifest.ts";
import type { RegistriesConfig } from "../types.ts";

const dir = mkdtempSync(join(tmpdir(), "kubun-registry-test-"));
let reg: TestRegistry;
let indexDigest: string;
let amd: { digest: string };
let layerDigest: string;

beforeAll(async () => {
  reg = await startRegistry(join(dir, "registry"));
  const push = new Pusher(reg, "library/busybox");
  const layerTar = await busyboxLayer();
  const layer = await push.blob(gzipSync(layerTar));
  layerDigest = layer.digest;
  const diffId = `sha256:${new Bun.CryptoHasher("sha256").update(layerTar).digest("hex")}`;
  const mk = async (arch: string) => {
    const cfg = await push.blob(Buffer.from(JSON.stringify({ architecture: arch, os: "linux", config: { Cmd: ["sh"] }, rootfs: { type: "layers", diff_ids: [diffId] } })));
    return push.manifest(`tmp-${arch}`, { schemaVersion: 2, mediaType: MEDIA.ociManifest,
      config: { mediaType: MEDIA.ociConfig, ...cfg }, layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer }] }, MEDIA.ociManifest);
  };
  const here = hostPlatform().architecture;
  amd = await mk(here);
  const other = await mk(here === "amd64" ? "s390x" : "amd64");
  const idx = await push.manifest("1.0", { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: [
    { mediaType: MEDIA.ociManifest, ...other, platform: { os: "linux", architecture: here === "amd64" ? "s390x" : "amd64" } },
    { mediaType: MEDIA.ociManifest, ...amd, platform: { os: "linux", architecture: here } },
  ] }, MEDIA.ociIndex);
  indexDigest = idx.digest;
}, 60_000);

afterAll(async () => {
  await reg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const config = (): RegistriesConfig => ({
  mirrors: { [reg.host]: { endpoint: [`http://${reg.host}`] } },
  configs: { [reg.host]: { auth: { username: reg.user, password: reg.password } } },
});

test("pull by tag picks this platform from the manifest list", async () => {
  const store = new ContentStore({ root: join(dir, "s1"), registries: config() });
  const progress: number[] = [];
  const img = await store.pull(`${reg.host}/library/busybox:1.0`, { onProgress: (p) => progress.push(p.done) });
  expect(img.id).toBe(amd.digest);
  expect(img.refs).toContain(`${reg.host}/library/busybox:1.0`);
  expect(img.refs).toContain(`${reg.host}/library/busybox@${indexDigest}`);
  expect(progress.length).toBeGreaterThan(0);
  const r = store.resolve(`${reg.host}/library/busybox:1.0`);
  expect(readlinkSync(join(r.layerDirs[0], "bin/sh"))).toBe("/bin/busybox");
  expect(r.config.architecture).toBe(hostPlatform().architecture);
});

test("pull by digest, with credentials from a pull secret", async () => {
  const store = new ContentStore({ root: join(dir, "s2"), registries: { mirrors: { [reg.host]: { endpoint: [`http://${reg.host}`] } } } });
  const img = await store.pull(`${reg.host}/library/busybox@${indexDigest}`, { credentials: { [reg.host]: { username: reg.user, password: reg.password } } });
  expect(img.id).toBe(amd.digest);
  expect(store.get(`${reg.host}/library/busybox@${indexDigest}`)?.id).toBe(amd.digest);
});

test("wrong credentials, and plain HTTP without an insecure mark, are refused", async () => {
  const bad = new ContentStore({ root: join(dir, "s3"), registries: { mirrors: { [reg.host]: { endpoint: [`http://${reg.host}`] } }, configs: { [reg.host]: { auth: { username: reg.user, password: "wrong" } } } } });
  await expect(bad.pull(`${reg.host}/library/busybox:1.0`)).rejects.toThrow(/401/);
  const tlsOnly = new ContentStore({ root: join(dir, "s4"), registries: { configs: { [reg.host]: { auth: { username: reg.user, password: reg.password } } } } });
  await expect(tlsOnly.pull(`${reg.host}/library/busybox:1.0`)).rejects.toThrow(/https:\/\//);
  expect(tlsOnly.list()).toEqual([]);
});

test("a tampered blob is refused", async () => {
  const hex = layerDigest.slice(7);
  const file = join(reg.storage, "docker/registry/v2/blobs/sha256", hex.slice(0, 2), hex, "data");
  const orig = readFileSync(file);
  const bad = Buffer.from(orig);
  bad[bad.length - 10] ^= 0xff;
  writeFileSync(file, bad);
  try {
    const store = new ContentStore({ root: join(dir, "s5"), registries: config() });
    await expect(store.pull(`${reg.host}/library/busybox:1.0`)).rejects.toThrow(/digest mismatch/);
    expect(store.list()).toEqual([]);
    expect(existsSync(join(store.root, "blobs/sha256", hex))).toBe(false);
  } finally {
    writeFileSync(file, orig);
  }
});

test("bearer-token auth: token fetched from the realm with basic credentials, scoped to the repository", async () => {
  // a token-auth front for the registry, as Docker Hub or Harbor do it
  const issued = new Set<string>();
  const scopes: string[] = [];
  let port = 0;
  const server: { port?: number; stop(force?: boolean): unknown } = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req: Request): Promise<Response> {
      const url = new URL(req.url);
      if (url.pathname === "/token") {
        const basic = `Basic ${Buffer.from(`${reg.user}:${reg.password}`).toString("base64")}`;
        if (req.headers.get("authorization") !== basic) return new Response("denied", { status: 401 });
        scopes.push(`${url.searchParams.get("service")} ${url.searchParams.get("scope")}`);
        const token = crypto.randomUUID();
        issued.add(token);
        return Response.json({ token });
      }
      const auth = req.headers.get("authorization") ?? "";
      if (!issued.has(auth.replace(/^Bearer /, ""))) {
        return new Response("unauthorized", { status: 401, headers: { "WWW-Authenticate": `Bearer realm="http://127.0.0.1:${port}/token",service="kubun-test",scope="repository:library/busybox:pull"` } });
      }
      const upstream = await fetch(`http://${reg.host}${url.pathname}${url.search}`, {
        headers: { Accept: req.headers.get("accept") ?? "*/*", Authorization: `Basic ${Buffer.from(`${reg.user}:${reg.password}`).toString("base64")}` },
      });
      return new Response(upstream.body, { status: upstream.status, headers: { "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream" } });
    },
  });
  port = server.port!;
  try {
    const host = `127.0.0.1:${port}`;
    const store = new ContentStore({ root: join(dir, "s6"), registries: { mirrors: { [host]: { endpoint: [`http://${host}`] } }, configs: { [host]: { auth: { username: reg.user, password: reg.password } } } } });
    const img = await store.pull(`${host}/library/busybox:1.0`);
    expect(img.id).toBe(amd.digest);
    expect(scopes[0]).toBe("kubun-test repository:library/busybox:pull");
    const anon = new ContentStore({ root: join(dir, "s7"), registries: { mirrors: { [host]: { endpoint: [`http://${host}`] } } } });
    await expect(anon.pull(`${host}/library/busybox:1.0`)).rejects.toThrow(/token request failed: 401/);
  } finally {
    server.stop(true);
  }
});
