// Pull with the OCI distribution API: mirrors and per-registry config (k3s registries.yaml), bearer and basic
// auth, manifest lists with platform selection, parallel layer downloads, every blob verified by digest.
import { Readable } from "node:stream";
import { createHash } from "node:crypto";
import type { ImageRecord, PullOptions, RegistriesConfig } from "../types.ts";
import type { ContentStore } from "./store.ts";
import { parseRef, formatRef, type ImageRef } from "./ref.ts";
import { MEDIA, selectPlatform, type Descriptor } from "./manifest.ts";

const ACCEPT = [MEDIA.ociIndex, MEDIA.dockerList, MEDIA.ociManifest, MEDIA.dockerManifest].join(", ");

interface Endpoint {
  base: string;
  host: string;
  insecureTls: boolean;
  auth?: { username: string; password: string } | { token: string };
  rewrite?: Record<string, string>;
}

/** Mirror endpoints first, then the registry itself (https unless configured insecure). */
export function endpointsFor(registry: string, cfg: RegistriesConfig, creds: PullOptions["credentials"] = {}): Endpoint[] {
  const mirror = cfg.mirrors?.[registry] ?? cfg.mirrors?.["*"];
  const urls = [...(mirror?.endpoint ?? [])];
  const own = cfg.configs?.[registry]?.insecure ? `http://${registry}` : registry === "docker.io" ? "https://registry-1.docker.io" : `https://${registry}`;
  if (!urls.some((u) => u.replace(/\/+$/, "") === own)) urls.push(own);
  return urls.map((u) => {
    const url = new URL(u.includes("://") ? u : `https://${u}`);
    const host = url.host;
    const c = cfg.configs?.[host] ?? (host === "registry-1.docker.io" ? cfg.configs?.["docker.io"] : undefined);
    let auth: Endpoint["auth"];
    const cred = creds[host] ?? creds[registry];
    if (cred) auth = cred;
    else if (c?.auth?.identitytoken) auth = { token: c.auth.identitytoken };
    else if (c?.auth?.username !== undefined) auth = { username: c.auth.username, password: c.auth.password ?? "" };
    else if (c?.auth?.auth) {
      const [username, ...pw] = Buffer.from(c.auth.auth, "base64").toString().split(":");
      auth = { username, password: pw.join(":") };
    }
    const path = url.pathname.replace(/\/+$/, "").replace(/\/v2$/, "");
    return { base: `${url.protocol}//${host}${path}`, host, insecureTls: !!c?.tls?.insecure_skip_verify, auth, rewrite: mirror?.rewrite };
  });
}

function parseChallenge(h: string): { scheme: string; params: Record<string, string> } {
  const sp = h.indexOf(" ");
  const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of h.slice(sp + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1]] = m[2];
  return { scheme, params };
}

class RegistryClient {
  private authz: string | null = null;
  constructor(private readonly ep: Endpoint, private readonly repo: string) {}

  private basic(): string | null {
    const a = this.ep.auth;
    return a && "username" in a ? `Basic ${Buffer.from(`${a.username}:${a.password}`).toString("base64")}` : null;
  }

  async get(path: string, accept?: string): Promise<Response> {
    const url = `${this.ep.base}/v2/${this.repo}/${path}`;
    const doFetch = () =>
      fetch(url, {
        headers: { ...(accept ? { Accept: accept } : {}), ...(this.authz ? { Authorization: this.authz } : {}) },
        redirect: "follow",
        tls: this.ep.insecureTls ? { rejectUnauthorized: false } : undefined,
      } as RequestInit);
    let res = await doFetch();
    if (res.status === 401 && !this.authz) {
      await res.body?.cancel();
      await this.authenticate(res.headers.get("www-authenticate") ?? "");
      res = await doFetch();
    }
    return res;
  }

  private async authenticate(header: string): Promise<void> {
    const { scheme, params } = parseChallenge(header);
    if (scheme === "basic") {
      this.authz = this.basic();
      if (!this.authz) throw new Error(`${this.ep.host}: registry requires credentials`);
      return;
    }
    if (scheme !== "bearer" || !params.realm) throw new Error(`${this.ep.host}: unsupported auth challenge ${JSON.stringify(header)}`);
    const u = new URL(params.realm);
    if (params.service) u.searchParams.set("service", params.service);
    u.searchParams.set("scope", params.scope ?? `repository:${this.repo}:pull`);
    const a = this.ep.auth;
    const headers: Record<string, string> = {};
    const b = this.basic();
    if (b) headers.Authorization = b;
    const res = a && "token" in a
      ? await fetch(params.realm, { method: "POST", body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: a.token, service: params.service ?? "", scope: u.searchParams.get("scope")! }) })
      : await fetch(u, { headers });
    if (!res.ok) throw new Error(`${this.ep.host}: token request failed: ${res.status} ${res.statusText}`);
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new Error(`${this.ep.host}: token response without a token`);
    this.authz = `Bearer ${token}`;
  }
}

const sha256 = (b: Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

async function fetchManifest(c: RegistryClient, reference: string, expected?: string): Promise<{ body: Buffer; digest: string; mediaType: string }> {
  const res = await c.get(`manifests/${reference}`, ACCEPT);
  if (!res.ok) throw new Error(`manifest ${reference}: ${res.status} ${res.statusText}`);
  const body = Buffer.from(await res.arrayBuffer());
  const digest = sha256(body);
  if (expected && digest !== expected) throw new Error(`manifest digest mismatch: expected ${expected}, got ${digest}`);
  const mediaType = JSON.parse(body.toString()).mediaType ?? res.headers.get("content-type") ?? "";
  return { body, digest, mediaType };
}

async function fetchBlob(store: ContentStore, c: RegistryClient, d: Descriptor, onProgress?: PullOptions["onProgress"]): Promise<void> {
  if (store.hasBlob(d.digest)) return;
  const res = await c.get(`blobs/${d.digest}`);
  if (!res.ok || !res.body) throw new Error(`blob ${d.digest}: ${res.status} ${res.statusText}`);
  let done = 0;
  const counted = Readable.fromWeb(res.body as never).on("data", (chunk: Buffer) => {
    done += chunk.length;
    onProgress?.({ layer: d.digest, done, total: d.size });
  });
  await store.putBlob(counted, d.digest);
}

async function parallel<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
}

function applyRewrite(repo: string, rewrite?: Record<string, string>): string {
  for (const [re, to] of Object.entries(rewrite ?? {})) {
    const r = new RegExp(re);
    if (r.test(repo)) return repo.replace(r, to);
  }
  return repo;
}

export async function pullImage(store: ContentStore, input: string, opts: PullOptions, cfg: RegistriesConfig, concurrency: number): Promise<ImageRecord> {
  const ref: ImageRef = parseRef(input);
  const errors: string[] = [];
  for (const ep of endpointsFor(ref.registry, cfg, opts.credentials)) {
    try {
      return await pullFrom(store, new RegistryClient(ep, applyRewrite(ref.repository, ep.rewrite)), ref, opts, concurrency);
    } catch (e) {
      errors.push(`${ep.base}: ${(e as Error).message}`); // try the next endpoint, as containerd does
    }
  }
  throw new Error(`pull ${formatRef(ref)} failed: ${errors.join("; ")}`);
}

async function pullFrom(store: ContentStore, c: RegistryClient, ref: ImageRef, opts: PullOptions, concurrency: number): Promise<ImageRecord> {
  let m = await fetchManifest(c, ref.digest ?? ref.tag!, ref.digest);
  const extra: string[] = [];
  if (m.mediaType === MEDIA.ociIndex || m.mediaType === MEDIA.dockerList) {
    await store.putBlobBytes(m.body, m.digest);
    extra.push(m.digest);
    const child = selectPlatform(JSON.parse(m.body.toString()).manifests ?? [], opts.platform);
    m = await fetchManifest(c, child.digest, child.digest);
  }
  const manifest = JSON.parse(m.body.toString()) as { config: Descriptor; layers: Descriptor[] };
  if (!manifest.config || !Array.isArray(manifest.layers)) throw new Error(`unsupported manifest type ${m.mediaType}`);
  await store.putBlobBytes(m.body, m.digest);
  await parallel([manifest.config, ...manifest.layers], concurrency, (d) => fetchBlob(store, c, d, opts.onProgress));
  const name = `${ref.registry}/${ref.repository}`;
  const refs = [ref.tag ? `${name}:${ref.tag}` : null, `${name}@${extra[0] ?? m.digest}`].filter((x): x is string => !!x);
  return store.addImage({ manifestDigest: m.digest, configDigest: manifest.config.digest, layerDigests: manifest.layers.map((l) => l.digest), refs, extraDigests: extra });
}
