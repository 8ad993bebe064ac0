// One Kubernetes container → the runtime's ContainerSpec: argv from command/args over the image's
// entrypoint/cmd, env, user and groups, capabilities, resources, mounts, /etc files, log path.
import { join } from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import type { ContainerSpec, ResolvedImage } from "../runtime/types.ts";
import { resolveUser } from "../runtime/user.ts";
import { resourcesFromKubernetes } from "../runtime/cgroups/resources.ts";
import { parseQuantity } from "../api/validation/quantity.ts";
import { ConfigError, expandArgs } from "./env.ts";
import { DEFAULT_PATH, lookPath } from "./lookpath.ts";

export interface PodPaths {
  podDir: string;
  logDir: string;
}

/** `<uid>_<name>_<attempt>`: the attempt is the restart count (and survives a kubun restart). */
export const containerId = (podUid: string, name: string, attempt: number) => `${podUid}_${name}_${attempt}`;
export function parseContainerId(id: string): { podUid: string; name: string; attempt: number } | undefined {
  const m = /^(.+)_([a-z0-9]([-a-z0-9]*[a-z0-9])?)_(\d+)$/.exec(id);
  return m ? { podUid: m[1], name: m[2], attempt: Number(m[4]) } : undefined;
}

export const logPath = (logDir: string, name: string, attempt: number) => join(logDir, name, `${attempt}.log`);
export const terminationLogPath = (podDir: string, name: string, attempt: number) => join(podDir, "containers", name, `${attempt}-termination-log`);

export interface BuildInput {
  pod: any;
  c: any;
  attempt: number;
  image: ResolvedImage;
  env: string[];
  mounts: ContainerSpec["mounts"];
  paths: PodPaths;
  netnsPath: string | null;
  hostname: string;
  etcHosts: string;
  /** the pod's /etc/hostname (containerd's CRI mounts one into every container of a pod sandbox) */
  etcHostname?: string;
  etcResolvConf: string;
  cgroupParent: string;
}

export function buildSpec(i: BuildInput): ContainerSpec {
  const { pod, c, image } = i;
  const cfg = image.config.config ?? {};
  const env = [...(cfg.Env ?? [])];
  const names = new Map(env.map((e, idx) => [e.slice(0, e.indexOf("=")), idx]));
  for (const e of i.env) {
    const k = e.slice(0, e.indexOf("="));
    if (names.has(k)) env[names.get(k)!] = e;
    else {
      names.set(k, env.length);
      env.push(e);
    }
  }
  if (!names.has("PATH")) env.unshift(`PATH=${DEFAULT_PATH}`);
  if (!names.has("HOSTNAME")) env.push(`HOSTNAME=${i.hostname}`);
  const command = expandArgs(c.command, env);
  const args = expandArgs(c.args, env);
  const argv = command?.length ? [...command, ...(args ?? [])] : [...(cfg.Entrypoint ?? []), ...(args ?? cfg.Cmd ?? [])];
  if (!argv.length) throw new ConfigError("no command specified");
  // argv[0] stays as written (ps shows "sleep 3600", as with runc); only the exec path is resolved
  const path = lookPath(image.layerDirs, env, argv[0]);
  const psc = pod.spec.securityContext ?? {};
  const sc = c.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc.runAsGroup;
  let user: { uid: number; gid: number; groups: number[] };
  try {
    const r = resolveUser(image.layerDirs, runAsUser !== undefined ? `${runAsUser}${runAsGroup !== undefined ? `:${runAsGroup}` : ""}` : cfg.User);
    user = { uid: r.uid, gid: runAsGroup ?? r.gid, groups: r.groups };
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  const runAsNonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
  if (runAsNonRoot && user.uid === 0) throw new ConfigError("container has runAsNonRoot and image will run as root");
  const groups = new Set(user.groups);
  for (const g of psc.supplementalGroups ?? []) groups.add(g);
  if (psc.fsGroup !== undefined) groups.add(psc.fsGroup);
  user.groups = [...groups];
  const res = c.resources ?? {};
  const milli = (q: unknown) => (q === undefined ? undefined : Math.round((parseQuantity(q) ?? 0) * 1000));
  const resources = resourcesFromKubernetes({
    cpuRequestMilli: milli(res.requests?.cpu),
    cpuLimitMilli: milli(res.limits?.cpu),
    memoryLimitBytes: res.limits?.memory !== undefined ? parseQuantity(res.limits.memory) : undefined,
  });
  const privileged = !!sc.privileged;
  if (privileged) resources.devices = "all";
  // terminationMessagePath: a host file bind-mounted where the container writes its last words
  const termPath = terminationLogPath(i.paths.podDir, c.name, i.attempt);
  mkdirSync(join(i.paths.podDir, "containers", c.name), { recursive: true });
  writeFileSync(termPath, "", { mode: 0o666 });
  const mounts = [...(i.mounts ?? [])];
  const tmp = c.terminationMessagePath ?? "/dev/termination-log";
  if (tmp && !mounts.some((m) => m.target === tmp)) mounts.push({ source: termPath, target: tmp });
  return {
    id: containerId(pod.metadata.uid, c.name, i.attempt),
    podId: pod.metadata.uid,
    layers: image.layerDirs,
    argv,
    path,
    env,
    cwd: c.workingDir || cfg.WorkingDir || undefined,
    hostname: i.hostname,
    mounts,
    etcHosts: i.etcHosts,
    etcHostname: i.etcHostname,
    etcResolvConf: i.etcResolvConf,
    netnsPath: i.netnsPath,
    user,
    capabilities: sc.capabilities ? { add: sc.capabilities.add, drop: sc.capabilities.drop } : undefined,
    privileged,
    noNewPrivileges: sc.allowPrivilegeEscalation === false,
    readOnlyRoot: !!sc.readOnlyRootFilesystem,
    cgroupParent: i.cgroupParent,
    resources,
    tty: !!c.tty,
    stdin: !!c.stdin,
    stdinOnce: !!c.stdinOnce,
    logPath: logPath(i.paths.logDir, c.name, i.attempt),
  };
}
