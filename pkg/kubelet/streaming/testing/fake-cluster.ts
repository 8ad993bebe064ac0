// Test-only: a minimal plain-HTTP "API server" that real kubectl can exec/attach/port-forward
// against, with an in-process fake container behind the streaming functions.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import type { Duplex } from "node:stream";
import tar from "tar-stream";
import { acceptPortForward, acceptRemoteCommand, parsePortsQuery, parseRemoteCommandQuery } from "../index.ts";
import type { RemoteCommandSession, TerminalSize } from "../types.ts";

export interface FakeCluster {
  port: number;
  /** Every terminal size a session received, in order. */
  resizes: TerminalSize[];
  /** Protocols negotiated, in order. */
  protocols: string[];
  /** Every exec/attach session accepted, in order. */
  sessions: RemoteCommandSession[];
  /** Why each failed negotiation was refused, in order. */
  refusals: string[];
  /** Every command exec'd, in order. */
  commands: string[][];
  /** The container's files (kubectl cp reads and writes them). */
  fs: FakeFs;
  close(): Promise<void>;
}

const json = (res: http.ServerResponse, code: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(code, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
};

const pod = {
  kind: "Pod",
  apiVersion: "v1",
  metadata: { name: "p", namespace: "default", uid: "0b6f3c1e-0000-4000-8000-000000000001", resourceVersion: "1", creationTimestamp: "2026-01-01T00:00:00Z" },
  spec: { containers: [{ name: "c", image: "busybox", stdin: true, tty: true, ports: [{ containerPort: 80, protocol: "TCP" }] }], nodeName: "n" },
  status: {
    phase: "Running",
    podIP: "10.42.0.5",
    containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "busybox", imageID: "", state: { running: { startedAt: "2026-01-01T00:00:00Z" } } }],
  },
};

const resourceList = {
  kind: "APIResourceList",
  groupVersion: "v1",
  resources: [
    { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], shortNames: ["po"] },
    { name: "pods/attach", singularName: "", namespaced: true, kind: "PodAttachOptions", verbs: ["create", "get"] },
    { name: "pods/exec", singularName: "", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"] },
    { name: "pods/portforward", singularName: "", namespaced: true, kind: "PodPortForwardOptions", verbs: ["create", "get"] },
  ],
};

/** The pretend container's filesystem: directories and file contents. */
export interface FakeFs {
  dirs: Set<string>;
  files: Map<string, Buffer>;
}

/** `tar -xmf - [-C dir]` (kubectl cp into the pod). */
async function untar(s: RemoteCommandSession, args: string[], fs: FakeFs): Promise<void> {
  const dir = args[0] === "-xmf" && args[2] === "-C" ? args[3]! : "/";
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => void chunks.push(c as Buffer));
    stream.on("end", () => {
      const path = `${dir.replace(/\/$/, "")}/${header.name.replace(/^\.?\//, "")}`;
      if (header.type === "directory") fs.dirs.add(path.replace(/\/$/, ""));
      else fs.files.set(path, Buffer.concat(chunks));
      next();
    });
  });
  const finished = new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  s.stdin!.pipe(extract);
  await finished.then(
    () => s.close({ exitCode: 0 }),
    (e: Error) => {
      s.stderr?.write(`tar: ${e.message}\n`);
      return s.close({ exitCode: 2 });
    },
  );
}

/** `tar cf - <path>` (kubectl cp out of the pod): GNU tar drops the leading '/'. */
async function packTar(s: RemoteCommandSession, path: string, fs: FakeFs): Promise<void> {
  const content = fs.files.get(path);
  if (!content) {
    s.stderr?.write(`tar: ${path}: Cannot stat: No such file or directory\n`);
    return s.close({ exitCode: 2 });
  }
  const pack = tar.pack();
  pack.entry({ name: path.replace(/^\//, ""), size: content.length, mode: 0o644 }, content);
  pack.finalize();
  for await (const chunk of pack) {
    if (!s.stdout!.write(chunk)) await new Promise((r) => s.stdout!.once("drain", r));
  }
  return s.close({ exitCode: 0 });
}

/** The pretend container: a few commands with known behaviour. */
async function runContainer(s: RemoteCommandSession, command: string[], resizes: TerminalSize[], fs: FakeFs): Promise<void> {
  void (async () => {
    for await (const size of s.resize) resizes.push(size);
  })();
  const [cmd, ...args] = command;
  if (cmd === "test" && args[0] === "-d") return s.close({ exitCode: fs.dirs.has(args[1]!.replace(/\/$/, "")) ? 0 : 1 });
  if (cmd === "tar" && args[0] === "-xmf" && s.stdin) return untar(s, args, fs);
  if (cmd === "tar" && args[0] === "cf" && args[1] === "-" && args[2]) return packTar(s, args[2], fs);
  if (cmd === "echo") {
    s.stdout?.write(args.join(" ") + "\n");
    return s.close({ exitCode: 0 });
  }
  if (cmd === "sh" && args[0] === "-c" && /^exit \d+$/.test(args[1] ?? "")) {
    return s.close({ exitCode: Number(args[1]!.slice(5)) });
  }
  if (cmd === "warn") {
    s.stderr?.write("warning: " + args.join(" ") + "\n");
    return s.close({ exitCode: 0 });
  }
  if (cmd === "cat" && s.stdin) {
    s.stdin.pipe(s.stdout!, { end: false });
    await new Promise<void>((r) => s.stdin!.once("end", () => r()));
    return s.close({ exitCode: 0 });
  }
  if (cmd === "sh" || cmd === undefined) {
    // An interactive "shell": prompt, echo input like a tty line discipline, "exit" ends it.
    s.stdout?.write("$ ");
    let typed = "";
    s.stdin?.on("data", (d: Buffer) => {
      s.stdout?.write(d.toString().replace(/\r/g, "\r\n"));
      typed += d.toString();
      const m = /exit(?: (\d+))?\r/.exec(typed);
      if (m) void s.close({ exitCode: Number(m[1] ?? 0) });
    });
    s.stdin?.once("end", () => void s.close({ exitCode: 0 }));
    return;
  }
  return s.close({ error: `unknown command ${JSON.stringify(command)}` });
}

/** With `tls`, connections arrive through a TLS server the way pkg/apiserver/serve feeds its http server. */
export async function startFakeCluster(podServer: AddressInfo, tls?: { key: string; cert: string }): Promise<FakeCluster> {
  const resizes: TerminalSize[] = [];
  const protocols: string[] = [];
  const commands: string[][] = [];
  const sessions: RemoteCommandSession[] = [];
  const refusals: string[] = [];
  const fs: FakeFs = { dirs: new Set(["", "/tmp"]), files: new Map() };
  const sockets = new Set<Duplex>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/api") return json(res, 200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (url.pathname === "/apis") return json(res, 200, { kind: "APIGroupList", apiVersion: "v1", groups: [] });
    if (url.pathname === "/api/v1") return json(res, 200, resourceList);
    if (url.pathname === "/version") return json(res, 200, { major: "1", minor: "33", gitVersion: "v1.33.0+fake", platform: "linux/amd64" });
    if (url.pathname === "/api/v1/namespaces/default/pods/p") return json(res, 200, pod);
    json(res, 404, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", reason: "NotFound", code: 404, message: "not found" });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  server.on("upgrade", (req, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? "/", "http://x");
    const sub = /^\/api\/v1\/namespaces\/default\/pods\/p\/(exec|attach|portforward)$/.exec(url.pathname)?.[1];
    if (sub === "exec" || sub === "attach") {
      const q = parseRemoteCommandQuery(url);
      acceptRemoteCommand(req, socket, head, q).then(
        (s) => {
          protocols.push(s.protocol);
          sessions.push(s);
          if (sub === "exec") commands.push(q.command);
          return runContainer(s, sub === "attach" ? [] : q.command, resizes, fs);
        },
        (e: Error) => void refusals.push(e.message),
      );
      return;
    }
    if (sub === "portforward") {
      // Port 80 is the pod's web server; 82 reaches it too, but only after a slow dial.
      const dial = async (port: number) => {
        if (port !== 80 && port !== 82) throw new Error(`dial tcp 127.0.0.1:${port}: connect: connection refused`);
        if (port === 82) await Bun.sleep(150);
        return new Promise<Duplex>((resolve, reject) => {
          const c = net.connect(podServer.port, "127.0.0.1", () => resolve(c));
          c.once("error", reject);
        });
      };
      protocols.push(`portforward:${req.headers["upgrade"]}:${req.headers["sec-websocket-protocol"] ?? ""}`);
      acceptPortForward(req, socket, head, { ports: parsePortsQuery(url), dial }).catch((e: Error) => void refusals.push(e.message));
      return;
    }
    socket.destroy();
  });
  const front = tls ? createTlsServer({ key: tls.key, cert: tls.cert, ALPNProtocols: ["http/1.1"] }) : undefined;
  front?.on("secureConnection", (socket) => server.emit("connection", socket));
  front?.on("tlsClientError", () => {});
  const listener: net.Server = front ?? server;
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", () => r()));
  return {
    port: (listener.address() as AddressInfo).port,
    resizes,
    protocols,
    commands,
    fs,
    sessions,
    refusals,
    async close() {
      for (const s of sockets) s.destroy();
      if (front) await new Promise<void>((r) => front.close(() => r()));
      await new Promise<void>((r) => (front ? r() : server.close(() => r())));
    },
  };
}
