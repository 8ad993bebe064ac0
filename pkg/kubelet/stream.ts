// pods/exec, pods/attach and pods/portforward upgrades: the streaming protocols (./streaming) on one
// side, the runtime's exec/attach and a TCP dial to the pod on the other.
import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import { Duplex } from "node:stream";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { Runtime } from "../runtime/types.ts";
import { badRequest, notFound, StatusError, internalError } from "../api/errors.ts";
import { acceptPortForward, acceptRemoteCommand, parsePortsQuery, parseRemoteCommandQuery, type RemoteCommandSession } from "./streaming/index.ts";
import { failUpgrade } from "./streaming/http.ts";
import type { Kubelet } from "./kubelet.ts";
import type { PodWorker } from "./worker.ts";

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)$/;

interface Subscribable {
  subscribe?(id: string, fn: (stream: "stdout" | "stderr", chunk: Uint8Array) => void): () => void;
}

/** The running container a request names (the only container when none is named). */
function runningContainer(w: PodWorker, name: string | undefined): { c: any; id: string } {
  const pod = w.pod;
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers, ...(pod.spec.ephemeralContainers ?? [])];
  const cname = name || pod.metadata.annotations?.["kubectl.kubernetes.io/default-container"] || (pod.spec.containers.length === 1 ? pod.spec.containers[0].name : "");
  if (!cname) throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${pod.spec.containers.map((c: any) => c.name).join(" ")}]`);
  const c = all.find((x: any) => x.name === cname);
  if (!c) throw badRequest(`container ${cname} is not valid for pod ${pod.metadata.name}`);
  const cur = w.containers().get(cname)?.cur;
  if (!cur || cur.state !== "running") throw badRequest(`container ${cname} is not running`);
  return { c, id: cur.id };
}

function pipeExec(w: PodWorker, runtime: Runtime, c: any, id: string, s: RemoteCommandSession, argv: string[], tty: boolean) {
  const t = w.target(c, id);
  let p;
  try {
    p = runtime.exec(id, { argv, path: t.lookPath(argv[0]), tty, stdin: !!s.stdin });
  } catch (e) {
    return void s.close({ error: `exec failed: ${(e as Error).message}` });
  }
  p.onStdout((d) => s.stdout?.write(d));
  // a tty has one output stream (the runtime hands the terminal's output to both listeners)
  if (!tty) p.onStderr((d) => (s.stderr ?? s.stdout)?.write(d));
  s.stdin?.on("data", (d: Buffer) => p.write(d));
  s.stdin?.on("end", () => p.closeStdin());
  (async () => {
    for await (const sz of s.resize) p.resize(sz.height, sz.width);
  })().catch(() => {});
  s.closed.then(() => p.kill(9));
  p.exited.then((code) => s.close({ exitCode: code }), (e) => s.close({ error: String(e) }));
}

function pipeAttach(runtime: Runtime, id: string, s: RemoteCommandSession) {
  const a = runtime.attach(id);
  const sub = (runtime as Runtime & Subscribable).subscribe?.(id, (stream, chunk) => (stream === "stderr" ? s.stderr ?? s.stdout : s.stdout)?.write(chunk));
  s.stdin?.on("data", (d: Buffer) => a.write(d));
  (async () => {
    for await (const sz of s.resize) a.resize(sz.height, sz.width);
  })().catch(() => {});
  const off = runtime.onEvent((st) => {
    // upstream's attach ends with Success whatever the exit code (only exec reports it): kubectl
    // would otherwise call the attach failed and print the output again from the logs
    if (st.id === id && st.state === "exited") void s.close({ exitCode: 0 });
  });
  s.closed.then(() => {
    sub?.();
    off();
  });
}

const BUSYBOX = "/bin/busybox";

/** A TCP connection to 127.0.0.1:port inside a network namespace, as a stream (nsenter + nc). */
function relayInNetns(netns: string, port: number): Duplex {
  const child = spawn("nsenter", [`--net=${netns}`, BUSYBOX, "nc", "127.0.0.1", String(port)], { stdio: ["pipe", "pipe", "ignore"] });
  const d = Duplex.from({ readable: child.stdout!, writable: child.stdin! } as unknown as Parameters<typeof Duplex.from>[0]);
  d.once("close", () => child.kill("SIGKILL"));
  return d;
}

/** Handle the upgrade if it is one of ours; false leaves it to the caller. */
/** Whether a path is one of the streaming subresources the agent serves by upgrade. */
export const isStreamPath = (pathname: string) => PATH.test(pathname);

export function handleUpgrade(kubelet: Kubelet, runtime: Runtime, req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  const url = new URL(req.url ?? "/", "http://localhost");
  const m = PATH.exec(url.pathname);
  if (!m) return false;
  const [ns, name, sub] = [decodeURIComponent(m[1]), decodeURIComponent(m[2]), m[3]];
  const fail = (e: unknown) => failUpgrade(socket, e instanceof StatusError ? e : internalError(String((e as Error).message ?? e)));
  try {
    const w = kubelet.findPod(ns, name);
    if (!w || w.gone) throw notFound({ group: "", resource: "pods" }, name);
    if (sub === "portforward") {
      if (w.finished || !w.podIPs.length) throw badRequest(`pod ${name} is not running`);
      const host = w.pod.spec.hostNetwork ? "127.0.0.1" : w.podIPs[0];
      const netns = w.pod.spec.hostNetwork ? null : w.netnsPath();
      const dial = (port: number) =>
        new Promise<Duplex>((resolve, reject) => {
          const c = connect({ host, port }, () => resolve(c));
          c.once("error", (e: NodeJS.ErrnoException) => {
            // upstream dials localhost inside the pod: a server bound to 127.0.0.1 only is reached
            // through a relay in the pod's namespace (needs busybox on the host)
            if (e.code === "ECONNREFUSED" && netns && existsSync(BUSYBOX)) return resolve(relayInNetns(netns, port));
            reject(new Error(`failed to connect to localhost:${port} inside namespace "${name}": ${e.message}`));
          });
        });
      acceptPortForward(req, socket, head, { ports: parsePortsQuery(url), dial }).catch(() => {});
      return true;
    }
    const q = parseRemoteCommandQuery(url);
    const { c, id } = runningContainer(w, q.container);
    if (sub === "exec" && !q.command.length) throw badRequest("you must specify at least one command for the container");
    acceptRemoteCommand(req, socket, head, q).then((s) => {
      if (sub === "exec") pipeExec(w, runtime, c, id, s, q.command, q.tty);
      else pipeAttach(runtime, id, s);
    }, () => {});
  } catch (e) {
    fail(e);
  }
  return true;
}
