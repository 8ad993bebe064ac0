// The content-addressed image store under <root>: blobs/sha256/<hex>, layers/<diff-id hex>/ (unpacked, shared
// between images), images.json (manifest digest → record, reference → manifest digest). Layers are
// reference-counted through the image records and removed by gc() once no image uses them.
import { mkdirSync, existsSync, readFileSync, writeFileSync, renameSync, rmSync, statSync, readdirSync, createReadStream, createWriteStream, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ImageConfig, ImageRecord, ImageStore, PullOptions, RegistriesConfig, ResolvedImage } from "../types.ts";
import { decompressor, detectFileCompression } from "./compress.ts";
import { unpackLayer, LayerError } from "./unpack.ts";
import { normalizeRef, parseRef } from "./ref.ts";
import { notFound } from "../../api/errors.ts";

const HEX = /^[a-f0-9]{64}$/;
const GR = { group: "", resource: "images" };

interface Index {
  images: Record<string, ImageRecord & { layerDigests: string[]; manifestDigests: string[] }>;
  refs: Record<string, string>;
}

export interface StoreOptions {
  /** e.g. /var/lib/kubun/agent/images-store */
  root: string;
  registries?: RegistriesConfig;
  /** platform to pick from manifest lists (default: this machine, linux) */
  platform?: { os: string; architecture: string; variant?: string };
  /** parallel blob downloads (default 3) */
  concurrency?: number;
}

export function hexOf(digest: string): string {
  const hex = digest.replace(/^sha256:/, "");
  if (!HEX.test(hex) || !digest.startsWith("sha256:")) throw new Error(`unsupported digest ${JSON.stringify(digest)}`);
  return hex;
}

/** A transform that hashes what passes through. */
export function hasher(): Transform & { digest(): string } {
  const h = createHash("sha256");
  const t = new Transform({
    transform(chunk, _enc, cb) {
      h.update(chunk);
      cb(null, chunk);
    },
  }) as Transform & { digest(): string };
  let d: string | null = null;
  t.digest = () => (d ??= `sha256:${h.digest("hex")}`);
  return t;
}

export class ContentStore implements ImageStore {
  readonly root: string;
  private index: Index;

  constructor(readonly opts: StoreOptions) {
    this.root = opts.root;
    for (const d of ["blobs/sha256", "layers", "tmp"]) mkdirSync(join(this.root, d), { recursive: true });
    rmSync(join(this.root, "tmp"), { recursive: true, force: true }); // leftovers of an interrupted import
    mkdirSync(join(this.root, "tmp"));
    const file = join(this.root, "images.json");
    this.index = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { images: {}, refs: {} };
  }

  private save(): void {
    const file = join(this.root, "images.json");
    writeFileSync(file + ".tmp", JSON.stringify(this.index));
    renameSync(file + ".tmp", file);
  }

  tmpDir(prefix: string): string {
    return mkdtempSync(join(this.root, "tmp", prefix));
  }

  blobPath(digest: string): string {
    return join(this.root, "blobs/sha256", hexOf(digest));
  }

  layerDir(diffId: string): string {
    return join(this.root, "layers", hexOf(diffId));
  }

  hasBlob(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }

  /** Store a blob from a stream; refused (and nothing kept) unless it hashes to `expected`. */
  async putBlob(input: Readable, expected?: string): Promise<string> {
    const tmp = join(this.tmpDir("blob-"), "data");
    const h = hasher();
    try {
      await pipeline(input, h, createWriteStream(tmp));
      const digest = h.digest();
      if (expected && digest !== expected) throw new Error(`blob digest mismatch: expected ${expected}, got ${digest}`);
      renameSync(tmp, this.blobPath(digest));
      return digest;
    } finally {
      rmSync(join(tmp, ".."), { recursive: true, force: true });
    }
  }

  async putBlobBytes(data: Uint8Array, expected?: string): Promise<string> {
    const digest = `sha256:${createHash("sha256").update(data).digest("hex")}`;
    if (expected && digest !== expected) throw new Error(`blob digest mismatch: expected ${expected}, got ${digest}`);
    if (!this.hasBlob(digest)) {
      const tmp = join(this.tmpDir("blob-"), "data");
      writeFileSync(tmp, data);
      renameSync(tmp, this.blobPath(digest));
      rmSync(join(tmp, ".."), { recursive: true, force: true });
    }
    return digest;
  }

  readBlob(digest: string): Buffer {
    return readFileSync(this.blobPath(digest));
  }

  /** Unpack a layer blob once (shared by every image with that diff id); verifies the diff id. */
  async ensureLayer(blobDigest: string, diffId: string): Promise<string> {
    const dir = this.layerDir(diffId);
    if (existsSync(dir)) return dir;
    const work = this.tmpDir("layer-");
    const out = join(work, "root");
    mkdirSync(out);
    const src = createReadStream(this.blobPath(blobDigest));
    try {
      const h = hasher();
      const dec = decompressor(detectFileCompression(this.blobPath(blobDigest)));
      const tarStream = src.pipe(dec).pipe(h);
      src.on("error", (e) => tarStream.destroy(e));
      dec.on("error", (e) => tarStream.destroy(e));
      // returns once the extractor consumed the whole stream (padding included), so the hash is complete
      await unpackLayer(tarStream, out);
      if (h.digest() !== diffId) throw new LayerError(`layer ${blobDigest}: uncompressed digest ${h.digest()} does not match diff id ${diffId}`);
      renameSync(out, dir);
      return dir;
    } finally {
      src.destroy();
      rmSync(work, { recursive: true, force: true });
    }
  }

  /** Record an image whose blobs are all present, unpacking its layers. */
  async addImage(img: { manifestDigest: string; configDigest: string; layerDigests: string[]; refs: string[]; extraDigests?: string[] }): Promise<ImageRecord> {
    const config = JSON.parse(this.readBlob(img.configDigest).toString()) as ImageConfig;
    const diffIds = config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== img.layerDigests.length) throw new Error(`image config lists ${diffIds.length} layers, manifest ${img.layerDigests.length}`);
    for (let i = 0; i < diffIds.length; i++) await this.ensureLayer(img.layerDigests[i], diffIds[i]);
    let size = 0;
    for (const d of [img.configDigest, ...img.layerDigests]) size += statSync(this.blobPath(d)).size;
    const id = img.manifestDigest;
    const prev = this.index.images[id];
    const refs = [...new Set([...(prev?.refs ?? []), ...img.refs])];
    for (const r of img.refs) {
      const old = this.index.refs[r];
      if (old && old !== id && this.index.images[old]) this.index.images[old].refs = this.index.images[old].refs.filter((x) => x !== r);
      this.index.refs[r] = id;
    }
    const rec = { id, refs, configDigest: img.configDigest, diffIds, size, lastUsed: prev?.lastUsed ?? Date.now(), layerDigests: img.layerDigests,
      manifestDigests: [...new Set([...(prev?.manifestDigests ?? []), id, ...(img.extraDigests ?? [])])] };
    this.index.images[id] = rec;
    this.save();
    return this.publicRecord(rec);
  }

  private publicRecord(r: Index["images"][string]): ImageRecord {
    return { id: r.id, refs: [...r.refs], configDigest: r.configDigest, diffIds: [...r.diffIds], size: r.size, lastUsed: r.lastUsed };
  }

  private find(refOrId: string): Index["images"][string] | undefined {
    if (this.index.images[refOrId]) return this.index.images[refOrId];
    if (/^[a-f0-9]{64}$/.test(refOrId)) return this.index.images[`sha256:${refOrId}`];
    let norm: string;
    try {
      norm = normalizeRef(refOrId);
    } catch {
      return undefined;
    }
    const id = this.index.refs[norm];
    if (id) return this.index.images[id];
    // name@digest matches an image pulled under another tag
    const r = parseRef(refOrId);
    if (r.digest) return Object.values(this.index.images).find((i) => i.manifestDigests.includes(r.digest!));
    return undefined;
  }

  list(): ImageRecord[] {
    return Object.values(this.index.images).map((r) => this.publicRecord(r));
  }

  get(refOrId: string): ImageRecord | undefined {
    const r = this.find(refOrId);
    return r && this.publicRecord(r);
  }

  resolve(refOrId: string): ResolvedImage {
    const r = this.find(refOrId);
    if (!r) throw notFound(GR, refOrId);
    r.lastUsed = Date.now();
    const config = JSON.parse(this.readBlob(r.configDigest).toString()) as ImageConfig;
    return { record: this.publicRecord(r), layerDirs: r.diffIds.map((d) => this.layerDir(d)), config };
  }

  async remove(refOrId: string): Promise<void> {
    const r = this.find(refOrId);
    if (!r) throw notFound(GR, refOrId);
    let norm: string | null = null;
    try {
      norm = normalizeRef(refOrId);
    } catch {}
    if (norm && this.index.refs[norm] === r.id && r.refs.length > 1) {
      // untag only
      delete this.index.refs[norm];
      r.refs = r.refs.filter((x) => x !== norm);
    } else {
      for (const ref of r.refs) delete this.index.refs[ref];
      delete this.index.images[r.id];
    }
    this.save();
  }

  async gc(opts: { keep?: string[]; removeUnusedImages?: boolean } = {}): Promise<number> {
    if (opts.removeUnusedImages) {
      const keep = new Set((opts.keep ?? []).map((k) => this.find(k)?.id).filter(Boolean));
      for (const img of Object.values(this.index.images)) if (!keep.has(img.id)) await this.remove(img.id);
    }
    const usedBlobs = new Set<string>();
    const usedLayers = new Set<string>();
    for (const img of Object.values(this.index.images)) {
      for (const d of [img.configDigest, ...img.layerDigests, ...img.manifestDigests]) usedBlobs.add(hexOf(d));
      for (const d of img.diffIds) usedLayers.add(hexOf(d));
    }
    let freed = 0;
    for (const hex of readdirSync(join(this.root, "blobs/sha256"))) {
      if (usedBlobs.has(hex)) continue;
      const p = join(this.root, "blobs/sha256", hex);
      freed += statSync(p).size;
      rmSync(p, { force: true });
    }
    for (const hex of readdirSync(join(this.root, "layers"))) {
      if (!usedLayers.has(hex)) rmSync(join(this.root, "layers", hex), { recursive: true, force: true });
    }
    return freed;
  }

  importArchive(path: string, opts?: { name?: string }): Promise<ImageRecord[]> {
    return import("./archive.ts").then((m) => m.importArchive(this, path, opts));
  }

  pull(ref: string, opts?: PullOptions): Promise<ImageRecord> {
    return import("./pull.ts").then((m) => m.pullImage(this, ref, { ...opts, platform: opts?.platform ?? this.opts.platform }, this.opts.registries ?? {}, this.opts.concurrency ?? 3));
  }
}
