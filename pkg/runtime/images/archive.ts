// Import `docker save` and OCI image-layout archives (plain, gzip or zstd) into the store.
import { createReadStream, createWriteStream, existsSync, readFileSync, mkdirSync, rmSync } from "node:fs";
import { join, dirname, posix } from "node:path";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";
import type { ImageRecord } from "../types.ts";
import type { ContentStore } from "./store.ts";
import { decompressor, detectFileCompression } from "./compress.ts";
import { safeParts } from "./unpack.ts";
import { normalizeRef } from "./ref.ts";
import { selectPlatform, type Descriptor, MEDIA } from "./manifest.ts";

/** Extract regular files of the outer archive into dir; symlinks are remembered, never created. */
async function extractArchive(path: string, dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  const src = createReadStream(path);
  const extract = tar.extract();
  const dec = decompressor(detectFileCompression(path));
  const fail = (e: Error) => extract.destroy(e);
  src.on("error", fail);
  dec.on("error", fail);
  src.pipe(dec).pipe(extract);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const parts = safeParts(h.name, "archive entry");
      const rel = parts.join("/");
      if (h.type === "file" && parts.length) {
        const out = join(dir, ...parts);
        mkdirSync(dirname(out), { recursive: true });
        await pipeline(entry, createWriteStream(out));
        continue;
      }
      if ((h.type === "symlink" || h.type === "link") && parts.length) {
        // old docker save links duplicate layers: resolve inside the archive only
        const target = h.type === "link" ? h.linkname ?? "" : posix.join(posix.dirname(rel), h.linkname ?? "");
        links.set(rel, safeParts(target, "archive link").join("/"));
      }
      entry.resume();
    }
  } finally {
    src.destroy();
  }
  return links;
}

function reader(dir: string, links: Map<string, string>) {
  const resolve = (name: string): string => {
    let rel = safeParts(name, "archive path").join("/");
    for (let i = 0; i < 10 && links.has(rel); i++) rel = links.get(rel)!;
    return join(dir, ...rel.split("/"));
  };
  return {
    path: resolve,
    exists: (name: string) => existsSync(resolve(name)),
    json: <T>(name: string): T => JSON.parse(readFileSync(resolve(name), "utf8")) as T,
  };
}

export async function importArchive(store: ContentStore, path: string, opts?: { name?: string }): Promise<ImageRecord[]> {
  const dir = store.tmpDir("import-");
  try {
    const links = await extractArchive(path, dir);
    const r = reader(dir, links);
    if (r.exists("index.json") && r.exists("oci-layout")) return await importOci(store, r, opts);
    if (r.exists("manifest.json")) return await importDocker(store, r, opts);
    throw new Error(`${path}: neither an OCI image layout (index.json, oci-layout) nor a docker save archive (manifest.json)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Reader = ReturnType<typeof reader>;

const blobFile = (r: Reader, digest: string) => r.path(`blobs/${digest.replace(":", "/")}`);

async function putFile(store: ContentStore, file: string, expected?: string): Promise<string> {
  return store.putBlob(createReadStream(file), expected);
}

function refName(annotations: Record<string, string> | undefined, fallback?: string): string[] {
  const a = annotations ?? {};
  const full = a["io.containerd.image.name"];
  if (full) return [normalizeRef(full)];
  const ref = a["org.opencontainers.image.ref.name"];
  if (ref) {
    // a full reference, or only a tag that applies to the name given by the caller
    if (ref.includes("/") || (ref.includes(":") && !/^[\w][\w.-]*$/.test(ref))) return [normalizeRef(ref)];
    if (fallback) return [normalizeRef(`${fallback.replace(/:[\w][\w.-]*$/, "")}:${ref}`)];
  }
  return fallback ? [normalizeRef(fallback)] : [];
}

async function importOci(store: ContentStore, r: Reader, opts?: { name?: string }): Promise<ImageRecord[]> {
  const index = r.json<{ manifests?: Descriptor[] }>("index.json");
  const out: ImageRecord[] = [];
  for (const desc of index.manifests ?? []) {
    const refs = refName(desc.annotations, opts?.name);
    let manifestDesc = desc;
    const extra: string[] = [];
    if (desc.mediaType === MEDIA.ociIndex || desc.mediaType === MEDIA.dockerList) {
      const digest = await putFile(store, blobFile(r, desc.digest), desc.digest);
      extra.push(digest);
      const child = selectPlatform(JSON.parse(store.readBlob(digest).toString()).manifests ?? []);
      manifestDesc = child;
    }
    const mDigest = await putFile(store, blobFile(r, manifestDesc.digest), manifestDesc.digest);
    const manifest = JSON.parse(store.readBlob(mDigest).toString()) as { config: Descriptor; layers: Descriptor[] };
    const configDigest = await putFile(store, blobFile(r, manifest.config.digest), manifest.config.digest);
    const layerDigests: string[] = [];
    for (const l of manifest.layers) layerDigests.push(await putFile(store, blobFile(r, l.digest), l.digest));
    out.push(await store.addImage({ manifestDigest: mDigest, configDigest, layerDigests, refs, extraDigests: extra }));
  }
  return out;
}

async function importDocker(store: ContentStore, r: Reader, opts?: { name?: string }): Promise<ImageRecord[]> {
  const entries = r.json<{ Config: string; RepoTags?: string[] | null; Layers: string[] }[]>("manifest.json");
  const out: ImageRecord[] = [];
  for (const e of entries) {
    const configDigest = await putFile(store, r.path(e.Config));
    const layerDescs: Descriptor[] = [];
    const layerDigests: string[] = [];
    for (const l of e.Layers) {
      const d = await putFile(store, r.path(l));
      layerDigests.push(d);
      layerDescs.push({ mediaType: MEDIA.ociLayer, digest: d, size: store.readBlob(d).length });
    }
    // docker save has no manifest: synthesise the OCI manifest, whose digest becomes the image id
    const manifest = { schemaVersion: 2, mediaType: MEDIA.ociManifest, config: { mediaType: MEDIA.ociConfig, digest: configDigest, size: store.readBlob(configDigest).length }, layers: layerDescs };
    const mDigest = await store.putBlobBytes(Buffer.from(JSON.stringify(manifest)));
    const refs = (e.RepoTags ?? []).map((t) => normalizeRef(t));
    if (refs.length === 0 && opts?.name) refs.push(normalizeRef(opts.name));
    out.push(await store.addImage({ manifestDigest: mDigest, configDigest, layerDigests, refs }));
  }
  return out;
}
