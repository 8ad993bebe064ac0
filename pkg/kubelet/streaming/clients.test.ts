// The client libraries: @kubernetes/client-node (WebSocket v5/v4 exec, channel port-forward)
// and Debian's python3-kubernetes (v4 exec, channel port-forward).
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as k8s from "@kubernetes/client-node";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { startFakeCluster, type FakeCluster } from "./testing/fake-cluster.ts";
import { run } from "./testing/proc.ts";

let cluster: FakeCluster;
let podServer: http.Server;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  podServer = http.createServer((req, res) => res.end(`hello from pod ${req.url}\n`));
  await new Promise<void>((r) => podServer.listen(0, "127.0.0.1", () => r()));
  cluster = await startFakeCluster(podServer.address() as AddressInfo);
  dir = mkdtempSync(join(tmpdir(), "kubun-streaming-clients-"));
  kubeconfig = join(dir, "config");
  // client-node refuses plain http unless TLS verification is (meaninglessly) switched off.
  writeFileSync(
    kubeconfig,
    [
      "apiVersion: v1",
      "kind: Config",
      `clusters: [{name: c, cluster: {insecure-skip-tls-verify: true, server: "http://127.0.0.1:${cluster.port}"}}]`,
      "users: [{name: u, user: {token: t}}]",
      "contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]",
      "current-context: x",
      "",
    ].join("\n"),
  );
});

afterAll(async () => {
  await cluster?.close();
  podServer?.closeAllConnections?.();
  await new Promise<void>((r) => (podServer ? podServer.close(() => r()) : r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function clientNodeExec(command: string[], stdin: Readable | null) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const out = new PassThrough();
  let stdout = "";
  out.on("data", (d) => (stdout += d));
  return new Promise<{ status: k8s.V1Status; stdout: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("client-node exec timed out")), 10_000);
    new k8s.Exec(kc)
      .exec("default", "p", "c", command, out, null, stdin, false, (status) => {
        clearTimeout(timer);
        // The status arrives before the socket closes; let the output drain first.
        setImmediate(() => resolve({ status, stdout }));
      })
      .catch(reject);
  });
}

test("client-node exec: exit status and stdin", async () => {
  const failed = await clientNodeExec(["sh", "-c", "exit 3"], null);
  expect(failed.status).toMatchObject({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "3" }] } });
  const cat = await clientNodeExec(["cat"], Readable.from(["abc", "def"]));
  expect(cat.status).toEqual({ metadata: {}, status: "Success" });
  expect(cat.stdout).toBe("abcdef");
});

test("client-node port-forward serves a local socket", async () => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfig);
  const pf = new k8s.PortForward(kc);
  const local = net.createServer((sock) => void pf.portForward("default", "p", [80], sock, null, sock).catch(() => sock.destroy()));
  await new Promise<void>((r) => local.listen(0, "127.0.0.1", () => r()));
  try {
    const res = await fetch(`http://127.0.0.1:${(local.address() as AddressInfo).port}/cn`, { headers: { connection: "close" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("hello from pod /cn\n");
  } finally {
    await new Promise<void>((r) => local.close(() => r()));
  }
});

const PY = `
import sys
from kubernetes import client, config
from kubernetes.stream import stream, portforward
config.load_kube_config(config_file=sys.argv[1])
api = client.CoreV1Api()
print("exec:", repr(stream(api.connect_get_namespaced_pod_exec, "p", "default", command=["echo", "py", "hi"],
      stderr=True, stdin=False, stdout=True, tty=False)))
r = stream(api.connect_get_namespaced_pod_exec, "p", "default", command=["sh", "-c", "exit 3"],
           stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
r.run_forever(timeout=5)
print("returncode:", r.returncode)
pf = portforward(api.connect_get_namespaced_pod_portforward, "p", "default", ports="80")
s = pf.socket(80)
s.setblocking(True)
s.sendall(b"GET /py HTTP/1.0\\r\\nHost: p\\r\\n\\r\\n")
data = b""
while True:
    d = s.recv(4096)
    if not d:
        break
    data += d
print("pf:", repr(data.split(b"\\r\\n\\r\\n", 1)[-1].decode()))
print("pf error:", pf.error(80))
pf.close()
`;

test("python3-kubernetes exec and port-forward", async () => {
  const r = await run(["/usr/bin/python3", "-c", PY, kubeconfig], { HOME: dir, PATH: "/usr/bin:/bin" });
  expect(r.stderr).toBe("");
  expect(r.stdout).toBe("exec: 'py hi\\n'\nreturncode: 3\npf: 'hello from pod /py\\n'\npf error: None\n");
  expect(r.code).toBe(0);
}, 30_000);
