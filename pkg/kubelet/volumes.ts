// Pod volumes on the host, under <podDir>/volumes/<name>: emptyDir (disk or tmpfs), hostPath with its
// type checks, configMap/secret/downwardAPI/projected through the atomic writer, and PVCs bound to
// hostPath/local PVs. `setup` is re-run on every resync, which is how configMap/secret edits arrive.
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MountSpec } from "../runtime/types.ts";
import { atomicWrite, type FileProjection } from "./atomic.ts";
import { resourceValue } from "./env.ts";
import { parseQuantity } from "../api/validation/quantity.ts";
import { isMountPoint, mountTmpfs, unmountBelow } from "../runtime/index.ts";

export class MountError extends Error {}

export interface VolumeSources {
  configMap(ns: string, name: string): { data?: Record<string, string>; binaryData?: Record<string, string> } | undefined;
  secret(ns: string, name: string): { data?: Record<string, string> } | undefined;
  /** PVC → its bound PV (undefined while unbound) */
  persistentVolume(ns: string, claim: string): Promise<any | undefined>;
  serviceAccountToken(pod: any, src: { audience?: string; expirationSeconds?: number }): Promise<string | undefined>;
  field(path: string): string | undefined;
  nodeAllocatable: { cpu: string; memory: string };
}

const quote = (v: string) => JSON.stringify(v);
/** metadata.labels / annotations as the downward API formats them: sorted key="value" lines. */
export function formatMap(m: Record<string, string> = {}): string {
  return Object.keys(m).sort().map((k) => `${k}=${quote(m[k])}`).join("\n");
}

function keyed(data: Record<string, Uint8Array | string>, items: any[] | undefined, mode: number, optional: boolean, what: string, gid?: number): Record<string, FileProjection> {
  const out: Record<string, FileProjection> = {};
  if (!items?.length) {
    for (const [k, v] of Object.entries(data)) out[k] = { data: v, mode, gid };
    return out;
  }
  for (const it of items) {
    if (!(it.key in data)) {
      if (optional) continue;
      throw new MountError(`configmap references non-existent config key: ${it.key}`.replace("configmap", what));
    }
    out[it.path] = { data: data[it.key], mode: it.mode ?? mode, gid };
  }
  return out;
}

async function downward(pod: any, items: any[], mode: number, s: VolumeSources, gid?: number): Promise<Record<string, FileProjection>> {
  const out: Record<string, FileProjection> = {};
  for (const it of items ?? []) {
    let v: string | undefined;
    if (it.fieldRef) {
      const p: string = it.fieldRef.fieldPath;
      if (p === "metadata.labels") v = formatMap(pod.metadata.labels);
      else if (p === "metadata.annotations") v = formatMap(pod.metadata.annotations);
      else v = s.field(p);
    } else if (it.resourceFieldRef) {
      const c = [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find((x: any) => x.name === it.resourceFieldRef.containerName);
      v = resourceValue(it.resourceFieldRef, c?.resources, s.nodeAllocatable);
    }
    if (v !== undefined) out[it.path] = { data: v, mode: it.mode ?? mode, gid };
  }
  return out;
}

const b64 = (v: string) => Buffer.from(v, "base64");

async function payloadOf(pod: any, vol: any, s: VolumeSources, gid?: number): Promise<Record<string, FileProjection>> {
  const ns = pod.metadata.namespace;
  if (vol.configMap) {
    const cm = s.configMap(ns, vol.configMap.name);
    if (!cm) {
      if (vol.configMap.optional) return {};
      throw new MountError(`configmap "${vol.configMap.name}" not found`);
    }
    const data: Record<string, Uint8Array | string> = { ...cm.data };
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) data[k] = b64(v);
    return keyed(data, vol.configMap.items, vol.configMap.defaultMode ?? 0o644, !!vol.configMap.optional, "configmap", gid);
  }
  if (vol.secret) {
    const sec = s.secret(ns, vol.secret.secretName);
    if (!sec) {
      if (vol.secret.optional) return {};
      throw new MountError(`secret "${vol.secret.secretName}" not found`);
    }
    const data = Object.fromEntries(Object.entries(sec.data ?? {}).map(([k, v]) => [k, b64(v)]));
    return keyed(data, vol.secret.items, vol.secret.defaultMode ?? 0o644, !!vol.secret.optional, "secret", gid);
  }
  if (vol.downwardAPI) return downward(pod, vol.downwardAPI.items, vol.downwardAPI.defaultMode ?? 0o644, s, gid);
  // projected
  const mode = vol.projected.defaultMode ?? 0o644;
  let out: Record<string, FileProjection> = {};
  for (const src of vol.projected.sources ?? []) {
    if (src.configMap) out = { ...out, ...(await payloadOf(pod, { configMap: { defaultMode: mode, ...src.configMap } }, s, gid)) };
    else if (src.secret) out = { ...out, ...(await payloadOf(pod, { secret: { defaultMode: mode, secretName: src.secret.name, ...src.secret } }, s, gid)) };
    else if (src.downwardAPI) out = { ...out, ...(await downward(pod, src.downwardAPI.items, mode, s, gid)) };
    else if (src.serviceAccountToken) {
      const tok = await s.serviceAccountToken(pod, src.serviceAccountToken);
      if (tok !== undefined) out[src.serviceAccountToken.path] = { data: tok, mode: 0o600, gid };
    }
  }
  return out;
}

function checkHostPath(path: string, type: string | undefined): void {
  const st = existsSync(path) ? statSync(path) : undefined;
  const fail = (what: string) => {
    throw new MountError(`hostPath type check failed: ${path} is not a ${what}`);
  };
  switch (type ?? "") {
    case "":
      return;
    case "DirectoryOrCreate":
      if (!st) mkdirSync(path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) fail("directory");
      return;
    case "FileOrCreate":
      if (!st) writeFileSync(path, "", { mode: 0o644 });
      else if (!st.isFile()) fail("file");
      return;
    case "Directory":
      if (!st?.isDirectory()) throw new MountError(`hostPath type check failed: ${path} is not a directory`);
      return;
    case "File":
      if (!st?.isFile()) throw new MountError(`hostPath type check failed: ${path} is not a file`);
      return;
    case "Socket":
      if (!st?.isSocket()) fail("socket");
      return;
    case "CharDevice":
      if (!st?.isCharacterDevice()) fail("character device");
      return;
    case "BlockDevice":
      if (!st?.isBlockDevice()) fail("block device");
      return;
  }
}

/** A memory-backed volume; a refused mount is the pod's FailedMount, not a crash of the sync. */
function tmpfs(name: string, dir: string, o: { mode?: number; sizeBytes?: number }): void {
  try {
    mountTmpfs(dir, o);
  } catch (e) {
    throw new MountError(`volume "${name}": ${(e as Error).message}`);
  }
}

/** Prepare every volume of the pod; returns volume name → host path. Idempotent. */
export async function setupVolumes(pod: any, podDir: string, s: VolumeSources): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const fsGroup: number | undefined = pod.spec.securityContext?.fsGroup;
  for (const vol of pod.spec.volumes ?? []) {
    const dir = join(podDir, "volumes", vol.name);
    if (vol.emptyDir) {
      // modes are set once, when the directory (or tmpfs) appears: later syncs must not undo fsGroup's setgid
      let fresh = false;
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        fresh = true;
      }
      if (vol.emptyDir.medium === "Memory" && !isMountPoint(dir)) {
        const limit = parseQuantity(vol.emptyDir.sizeLimit);
        tmpfs(vol.name, dir, { sizeBytes: limit || undefined });
        fresh = true;
      }
      if (fresh) {
        chmodSync(dir, 0o777);
        if (fsGroup !== undefined) {
          chownSync(dir, 0, fsGroup);
          chmodSync(dir, 0o2777);
        }
      }
      out.set(vol.name, dir);
    } else if (vol.hostPath) {
      checkHostPath(vol.hostPath.path, vol.hostPath.type);
      out.set(vol.name, vol.hostPath.path);
    } else if (vol.configMap || vol.secret || vol.downwardAPI || vol.projected) {
      // secrets and projected volumes (tokens) live in memory only, as upstream's wrapped emptyDir{Memory}:
      // mounted when the directory is new or empty (after a reboot took the tmpfs away); one that
      // already holds files on disk (written by a kubun before this) stays as running containers see it
      if ((vol.secret || vol.projected) && (!existsSync(dir) || (!isMountPoint(dir) && readdirSync(dir).length === 0))) {
        mkdirSync(dir, { recursive: true });
        tmpfs(vol.name, dir, { mode: 0o755 });
      }
      atomicWrite(dir, await payloadOf(pod, vol, s, fsGroup));
      out.set(vol.name, dir);
    } else if (vol.persistentVolumeClaim) {
      const pv = await s.persistentVolume(pod.metadata.namespace, vol.persistentVolumeClaim.claimName);
      if (!pv) throw new MountError(`persistentvolumeclaim "${vol.persistentVolumeClaim.claimName}" is not bound`);
      const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
      if (!path) throw new MountError(`persistentvolume "${pv.metadata.name}" is neither hostPath nor local`);
      if (pv.spec.hostPath) checkHostPath(path, pv.spec.hostPath.type || "DirectoryOrCreate");
      out.set(vol.name, path);
    } else {
      throw new MountError(`volume "${vol.name}": unsupported volume type`);
    }
  }
  return out;
}

/** Unmount tmpfs emptyDirs before the pod directory is removed. */
export async function teardownVolumes(pod: any | undefined, podDir: string): Promise<void> {
  const base = join(podDir, "volumes");
  if (!existsSync(base)) return;
  unmountBelow(base);
  void pod;
}

/** volumeMounts → runtime mounts (subPath resolved on the host, readOnly from mount or volume). */
export function containerMounts(pod: any, c: any, paths: Map<string, string>): MountSpec[] {
  const mounts: MountSpec[] = [];
  for (const vm of c.volumeMounts ?? []) {
    const base = paths.get(vm.name);
    if (!base) throw new MountError(`volume "${vm.name}" not found`);
    const vol = (pod.spec.volumes ?? []).find((v: any) => v.name === vm.name);
    let source = base;
    const sub: string | undefined = vm.subPath ?? vm.subPathExpr;
    if (sub) {
      if (sub.split("/").includes("..") || sub.startsWith("/")) throw new MountError(`invalid subPath ${sub}`);
      source = join(base, sub);
      if (!existsSync(source)) mkdirSync(source, { recursive: true, mode: 0o777 });
      source = realpathSync(source);
      if (!source.startsWith(realpathSync(base))) throw new MountError(`subPath ${sub} leaves the volume`);
    }
    const ro = !!vm.readOnly || !!vol?.persistentVolumeClaim?.readOnly || !!vol?.hostPath?.readOnly || !!(vol?.configMap || vol?.secret || vol?.downwardAPI || vol?.projected);
    const propagation = vm.mountPropagation === "Bidirectional" ? "rshared" : vm.mountPropagation === "HostToContainer" ? "rslave" : undefined;
    mounts.push({ source, target: vm.mountPath, readOnly: ro, ...(propagation ? { propagation } : {}) });
  }
  return mounts;
}
