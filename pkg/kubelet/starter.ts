// Starting one container of a pod: image per pull policy, env, mounts, spec, shared namespaces,
// crash back-off, events and the postStart hook.
import { readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerStatus } from "../runtime/types.ts";
import { podCgroupPath } from "../runtime/cgroups/resources.ts";
import { podQOSClass } from "../api/defaults/pod.ts";
import { buildEnv, ConfigError, serviceLinkEnv } from "./env.ts";
import { podHostname } from "./dns.ts";
import { containerMounts, MountError } from "./volumes.ts";
import { buildSpec, parseContainerId, terminationLogPath } from "./container.ts";
import { ImageError } from "./images.ts";
import { runAction } from "./handlers.ts";
import { graceOf } from "./terminate.ts";
import { fmtDelay } from "./podview.ts";
import type { PodWorker } from "./worker.ts";

const imageFile = (podDir: string, name: string, attempt: number) => join(podDir, "containers", name, `${attempt}-image`);

export function volumeSources(w: PodWorker) {
  const ctx = w.ctx;
  const data = (o: any) => (o ? { data: o.data, binaryData: o.binaryData } : undefined);
  return {
    configMap: (ns: string, n: string) => data(ctx.configMaps.get(`${ns}/${n}`)),
    secret: (ns: string, n: string) => data(ctx.secrets.get(`${ns}/${n}`)),
    persistentVolume: async (ns: string, claim: string) => {
      const pvc: any = await ctx.client.get({ group: "", version: "v1", resource: "persistentvolumeclaims" }, claim, { namespace: ns }).catch(() => undefined);
      if (!pvc?.spec?.volumeName || pvc.status?.phase !== "Bound") return undefined;
      return ctx.client.get({ group: "", version: "v1", resource: "persistentvolumes" }, pvc.spec.volumeName).catch(() => undefined);
    },
    serviceAccountToken: async (pod: any, src: { audience?: string; expirationSeconds?: number }) => {
      const tr: any = await ctx.client.create({ group: "", version: "v1", resource: "serviceaccounts" }, {
        apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", metadata: {},
        spec: { audiences: src.audience ? [src.audience] : [], expirationSeconds: src.expirationSeconds ?? 3607, boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid } },
      } as any, { namespace: pod.metadata.namespace, name: pod.spec.serviceAccountName ?? "default", subresource: "token" }).catch(() => undefined);
      return tr?.status?.token;
    },
    field: w.fieldOf,
    nodeAllocatable: ctx.nodeAllocatable,
  };
}

export async function startOrBackoff(w: PodWorker, c: any, lastAttempt: number, init: boolean, cur?: ContainerStatus): Promise<void> {
  const key = `${w.uid}/${c.name}`;
  if (cur?.state === "exited") {
    const ran = Date.parse(cur.finishedAt ?? "") - Date.parse(cur.startedAt ?? "");
    w.ctx.backoff.ranFor(key, ran);
    const delay = w.ctx.backoff.get(key);
    const until = Date.parse(cur.finishedAt ?? "") + delay;
    if (delay > 0 && Date.now() < until) {
      const msg = `back-off ${fmtDelay(delay)} restarting failed container=${c.name} pod=${w.pod.metadata.name}_${w.pod.metadata.namespace}(${w.uid})`;
      if (w.waiting.get(c.name)?.reason !== "CrashLoopBackOff") w.event("Warning", "BackOff", "Back-off restarting failed container " + c.name + " in pod " + `${w.pod.metadata.name}_${w.pod.metadata.namespace}(${w.uid})`, c.name, init);
      w.waiting.set(c.name, { reason: "CrashLoopBackOff", message: msg });
      w.after(until - Date.now() + 5);
      return;
    }
    w.ctx.backoff.next(key, Date.now());
  }
  await startContainer(w, c, lastAttempt + 1, init);
}

export async function startContainer(w: PodWorker, c: any, attempt: number, init: boolean): Promise<void> {
  const pod = w.pod;
  const ev = {
    normal: (r: string, m: string) => w.event("Normal", r, m, c.name, init),
    warning: (r: string, m: string) => w.event("Warning", r, m, c.name, init),
  };
  let image;
  try {
    image = await w.ctx.images.ensure(`${w.uid}/${c.name}`, c.image, c.imagePullPolicy, ev);
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    w.waiting.set(c.name, { reason: e.reason, message: e.message });
    // after a failed pull, show ImagePullBackOff shortly; retry once the back-off is over
    w.after(e.reason === "ErrImagePull" ? 1000 : Math.max(1000, w.ctx.images.retryIn(`${w.uid}/${c.name}`)));
    return;
  }
  w.imageIDs.set(c.name, image.imageID);
  // the files buildSpec needs, created through the I/O thread pool (inode creation is slow on a busy disk)
  await Promise.all([
    mkdir(join(w.podDir, "containers", c.name), { recursive: true }).then(() => writeFile(terminationLogPath(w.podDir, c.name, attempt), "", { mode: 0o666 })),
    mkdir(join(w.logDir, c.name), { recursive: true }),
  ]);
  let spec;
  try {
    const services = w.ctx.services.list();
    const env = buildEnv(pod, c, {
      configMap: (ns, n) => (w.ctx.configMaps.get(`${ns}/${n}`) as any)?.data ?? (w.ctx.configMaps.get(`${ns}/${n}`) ? {} : undefined),
      secret: (ns, n) => {
        const s: any = w.ctx.secrets.get(`${ns}/${n}`);
        return s ? Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), "base64").toString()])) : undefined;
      },
      field: w.fieldOf,
      containerResources: (name) => [...(pod.spec.containers ?? []), ...(pod.spec.initContainers ?? [])].find((x: any) => x.name === name)?.resources,
      nodeAllocatable: w.ctx.nodeAllocatable,
      serviceEnv: serviceLinkEnv(services, pod.metadata.namespace, pod.spec.enableServiceLinks !== false),
    });
    spec = buildSpec({
      pod, c, attempt, image: image.resolved, env,
      mounts: containerMounts(pod, c, w.volumes),
      paths: { podDir: w.podDir, logDir: w.logDir },
      netnsPath: w.netnsPath(),
      hostname: podHostname(pod, w.ctx.clusterDomain).hostname,
      etcHosts: join(w.podDir, "etc-hosts"),
      etcHostname: pod.spec.hostNetwork ? undefined : join(w.podDir, "hostname"),
      etcResolvConf: join(w.podDir, "resolv.conf"),
      cgroupParent: podCgroupPath(pod.status?.qosClass ?? podQOSClass(pod.spec), w.uid),
    });
  } catch (e) {
    if (!(e instanceof ConfigError) && !(e instanceof MountError)) throw e;
    w.waiting.set(c.name, { reason: "CreateContainerConfigError", message: e.message });
    w.event("Warning", "Failed", `Error: ${e.message}`, c.name, init);
    w.after(5000);
    return;
  }
  shareNamespaces(w, spec, c);
  try {
    await w.ctx.runtime.start(spec);
  } catch (e) {
    await w.ctx.runtime.remove(spec.id).catch(() => {});
    const msg = (e as Error).message;
    w.waiting.set(c.name, { reason: "RunContainerError", message: msg });
    w.event("Warning", "Failed", `Error: ${msg}`, c.name, init);
    w.after(w.ctx.backoff.next(`${w.uid}/${c.name}`, Date.now()));
    return;
  }
  w.waiting.delete(c.name);
  await writeFile(imageFile(w.podDir, c.name, attempt), c.image);
  w.event("Normal", "Created", `Created container: ${c.name}`, c.name, init);
  w.event("Normal", "Started", `Started container ${c.name}`, c.name, init);
  // keep the newest two attempts (current and previous, for logs --previous)
  for (const s of w.ctx.runtime.list({ podId: w.uid })) {
    const p = parseContainerId(s.id);
    if (p && p.name === c.name && p.attempt < attempt - 1 && s.state === "exited") {
      await w.ctx.runtime.remove(s.id).catch(() => {});
      // its log goes too (the runtime keeps logs), rotated pieces included
      for (const f of [s.logPath, ...[1, 2, 3, 4].map((i) => `${s.logPath}.${i}`)]) rmSync(f, { force: true });
      rmSync(terminationLogPath(w.podDir, c.name, p.attempt), { force: true });
      rmSync(imageFile(w.podDir, c.name, p.attempt), { force: true });
    }
  }
  w.target(c, spec.id, spec.env);
  if (c.lifecycle?.postStart) {
    const r = await runAction(w.target(c, spec.id, spec.env), c.lifecycle.postStart, graceOf(pod) * 1000);
    if (!r.ok) {
      w.event("Warning", "FailedPostStartHook", `PostStartHook failed: ${r.output}`, c.name, init);
      w.event("Normal", "Killing", `FailedPostStartHook`, c.name, init);
      await w.ctx.runtime.stop(spec.id, graceOf(pod)).catch(() => {});
    }
  }
}

/** The image a container attempt was started from (undefined when not recorded). */
export function imageOf(w: PodWorker, name: string, attempt: number): string | undefined {
  try {
    return readFileSync(imageFile(w.podDir, name, attempt), "utf8");
  } catch {
    return undefined;
  }
}


/**
 * No pause container: a new container joins the IPC/UTS (and with shareProcessNamespace the PID)
 * namespaces of a running container of the pod; host* fields join kubun's own.
 */
function shareNamespaces(w: PodWorker, spec: { sharedIpcFrom?: number; sharedUtsFrom?: number; sharedPidFrom?: number }, c: any): void {
  const ps = w.pod.spec;
  const peer = w.ctx.runtime.list({ podId: w.uid }).find((s) => s.state === "running" && s.pid > 0)?.pid;
  if (ps.hostIPC) spec.sharedIpcFrom = process.pid;
  else if (peer) spec.sharedIpcFrom = peer;
  if (ps.hostNetwork) spec.sharedUtsFrom = process.pid;
  else if (peer) spec.sharedUtsFrom = peer;
  // an ephemeral container with targetContainerName sees that container's processes (kubectl debug --target)
  const target = c.targetContainerName ? w.containers().get(c.targetContainerName)?.cur : undefined;
  if (ps.hostPID) spec.sharedPidFrom = process.pid;
  else if (target?.state === "running" && target.pid > 0) spec.sharedPidFrom = target.pid;
  else if (ps.shareProcessNamespace && peer) spec.sharedPidFrom = peer;
}
