// Auto-deployed manifests (k3s's deploy controller): every YAML/JSON file under
// <data-dir>/server/manifests is server-side applied at start and whenever it changes;
// `*.skip` files are ignored; objects of a removed file are deleted.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { Client, GVR } from "../client/types.ts";
import type { KubeObject, Registry } from "../api/types.ts";
import type { Logger } from "../util/log.ts";

export interface ManifestDeployer {
  /** Apply what changed since the last scan (also run on a timer and on file events). */
  scan(): Promise<void>;
  stop(): void;
}

const FIELD_MANAGER = "kubun";
const RESCAN_MS = 15_000;

interface Applied {
  signature: string;
  objects: Array<{ gvr: GVR; name: string; namespace?: string }>;
}

function isManifest(name: string) {
  return /\.(ya?ml|json)$/i.test(name) && !name.startsWith(".");
}

/** Objects in a file (multi-document YAML, JSON, and `kind: List`). */
export function parseManifest(text: string): KubeObject[] {
  const out: KubeObject[] = [];
  const docs = parseAllDocuments(text);
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new Error(doc.errors[0].message);
    const v = doc.toJS({ maxAliasCount: 100 });
    if (v == null) continue;
    if (typeof v !== "object" || Array.isArray(v)) throw new Error("a document is not an object");
    if (v.kind === "List" && Array.isArray(v.items)) out.push(...v.items);
    else out.push(v);
  }
  return out;
}

export function startManifestDeployer(o: { dir: string; client: Client; registry: Registry; logger: Logger }): ManifestDeployer {
  const log = o.logger;
  const applied = new Map<string, Applied>();
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  let running: Promise<void> | undefined;
  let again = false;

  const resolve = (obj: KubeObject) => {
    const [group, version] = obj.apiVersion?.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion ?? ""];
    const info = o.registry.byKind(group, version, obj.kind ?? "");
    if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
    return info;
  };

  async function applyFile(file: string, signature: string) {
    const objs = parseManifest(readFileSync(file, "utf8"));
    const done: Applied["objects"] = [];
    for (const obj of objs) {
      const info = resolve(obj);
      const gvr = { group: info.group, version: info.version, resource: info.resource };
      const name = obj.metadata?.name;
      if (!name) throw new Error(`${obj.kind} without metadata.name`);
      const namespace = info.namespaced ? obj.metadata?.namespace || "default" : undefined;
      await o.client.patch(gvr, name, "apply", obj, { namespace, force: true, fieldManager: FIELD_MANAGER });
      done.push({ gvr, name, namespace });
    }
    return done;
  }

  async function removeObjects(objects: Applied["objects"]) {
    for (const x of objects)
      await o.client.delete(x.gvr, x.name, { namespace: x.namespace, propagationPolicy: "Background" }).catch((e) => {
        if ((e as { code?: number }).code !== 404) throw e;
      });
  }

  async function scanOnce() {
    const seen = new Set<string>();
    for (const name of readdirSync(o.dir).sort()) {
      const file = join(o.dir, name);
      if (!isManifest(name) || !statSync(file).isFile()) continue;
      seen.add(file);
      const st = statSync(file);
      const signature = `${st.mtimeMs}:${st.size}:${Bun.hash(readFileSync(file)).toString(16)}`;
      const prev = applied.get(file);
      if (prev?.signature === signature) continue;
      try {
        const objects = await applyFile(file, signature);
        // Objects dropped from an edited file are removed, as when the file goes away.
        if (prev) await removeObjects(prev.objects.filter((p) => !objects.some((n) => n.gvr.resource === p.gvr.resource && n.gvr.group === p.gvr.group && n.name === p.name && n.namespace === p.namespace)));
        applied.set(file, { signature, objects });
        log.info("applied manifest", { file: name, objects: objects.length });
      } catch (e) {
        applied.set(file, { signature, objects: prev?.objects ?? [] });
        log.error("manifest not applied", { file: name, err: e instanceof Error ? e.message : String(e) });
      }
    }
    for (const [file, a] of applied) {
      if (seen.has(file)) continue;
      applied.delete(file);
      await removeObjects(a.objects).catch((e) => log.error("removing objects of a deleted manifest failed", { file, err: String(e) }));
      log.info("manifest removed; its objects were deleted", { file });
    }
  }

  const scan = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await scanOnce();
      } while (again);
    })().finally(() => (running = undefined));
    return running;
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(o.dir, () => void scan());
  } catch {
    // inotify may be exhausted; the timer still rescans.
  }
  const timer = setInterval(() => void scan(), RESCAN_MS);
  timer.unref?.();
  return {
    scan,
    stop() {
      clearInterval(timer);
      watcher?.close();
    },
  };
}

export const manifestsDir = (dataDir: string) => join(dataDir, "server", "manifests");
export const hasManifests = (dataDir: string) => existsSync(manifestsDir(dataDir));
