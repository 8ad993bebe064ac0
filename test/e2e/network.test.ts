// Service networking end to end: a real node in the sandbox harness, busybox pods, the real
// kubectl 1.33; ClusterIP, DNS, REJECT, NodePort, ServiceLB, hairpin, affinity, headless,
// SRV/PTR, ExternalName, the kubernetes Service, NetworkPolicy and a kubun restart.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, startNode, waitFor, type TestNode } from "../harness/node.ts";
import { buildBusyboxImage } from "../fixtures/busybox-image.ts";

setDefaultTimeout(120_000);
let node: TestNode;
const k = (args: string[], stdin?: string) => node.kubectl("1.33", args, { stdin, timeoutMs: 60_000 });
const ok = async (args: string[], stdin?: string) => {
  const r = await k(args, stdin);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
/** Runs a shell snippet in the client pod. */
const sh = (pod: string, script: string) => k(["exec", pod, "--", "sh", "-c", script]);
const fetchN = (pod: string, url: string, n: number) => sh(pod, `for i in $(seq ${n}); do timeout 3 wget -q -O- ${url} || echo FAIL; done`);
const jsonOf = async (args: string[]) => JSON.parse(await ok([...args, "-o", "json"]));

const podYaml = (name: string, labels: Record<string, string>, cmd: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: ${JSON.stringify(labels)}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: docker.io/library/busybox:test
    command: ["sh", "-c", ${JSON.stringify(cmd)}]
`;
const HTTPD = "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 8080 -h /www";

beforeAll(async () => {
  node = await startNode({
    async prepare(dataDir) {
      const dir = join(dataDir, "agent", "images");
      mkdirSync(dir, { recursive: true });
      await buildBusyboxImage({ dir, format: "oci", name: "docker.io/library/busybox:test" });
    },
  });
  await ok(["apply", "-f", "-"], `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: docker.io/library/busybox:test
        command: ["sh", "-c", ${JSON.stringify(HTTPD)}]
        ports:
        - {name: http, containerPort: 8080}
        readinessProbe:
          tcpSocket: {port: 8080}
          periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
`);
  await ok(["apply", "-f", "-"], podYaml("client", { role: "client" }, "sleep 3600"));
  await ok(["apply", "-f", "-"], podYaml("other", { role: "other" }, "sleep 3600"));
  await waitFor("pods ready", async () => {
    const pods = (await jsonOf(["get", "pods"])).items as any[];
    return pods.length === 4 && pods.every((p) => p.status?.phase === "Running" && p.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True"));
  }, 90_000, () => node.logs().split("\n").slice(-30).join("\n"));
  await waitFor("web endpoints", async () => {
    const r = await k(["get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o", "json"]);
    return r.code === 0 && JSON.parse(r.stdout).items.flatMap((s: any) => s.endpoints ?? []).filter((e: any) => e.conditions?.ready).length === 2;
  }, 30_000);
});
afterAll(async () => {
  await node?.stop();
});

const webPods = async () => ((await jsonOf(["get", "pods", "-l", "app=web"])).items as any[]).map((p) => p.metadata.name).sort();

describe("services", () => {
  test("by full name and by search path, spread over both pods", async () => {
    const pods = await webPods();
    const full = await fetchN("client", "http://web.default.svc.cluster.local/", 20);
    expect(full.code).toBe(0);
    expect([...new Set(full.stdout.trim().split("\n"))].sort()).toEqual(pods);
    const short = await fetchN("client", "http://web/", 20);
    expect([...new Set(short.stdout.trim().split("\n"))].sort()).toEqual(pods);
  });

  test("scaled to 0 connections fail fast (REJECT); scaled back they work", async () => {
    await ok(["scale", "deployment", "web", "--replicas=0"]);
    try {
      // once the proxy has synced the empty EndpointSlice (not merely once the pods are gone: until
      // then a connection is still sent to a dead pod and times out, more so on a loaded machine)
      let last = "";
      await waitFor("connections refused", async () => /Connection refused|unreachable/.test((last = (await sh("client", "timeout 5 wget -q -O- http://web/ 2>&1; echo rc=$?")).stdout)), 30_000, () => last);
      // refused at once (REJECT, or no route on a node without a default route), never a timeout
      const t0 = performance.now();
      const r = await sh("client", "timeout 5 wget -q -O- http://web/ 2>&1; echo rc=$?");
      expect(r.stdout).toMatch(/Connection refused|unreachable/);
      expect(r.stdout).toContain("rc=1");
      expect(performance.now() - t0).toBeLessThan(4000);
    } finally {
      await ok(["scale", "deployment", "web", "--replicas=2"]); // the tests after this one need the pods
    }
    await waitFor("two endpoints again", async () => {
      const out = await fetchN("client", "http://web/", 10);
      return new Set(out.stdout.trim().split("\n").filter((l) => l.startsWith("web-"))).size === 2;
    }, 60_000);
  });

  test("NodePort on the node's addresses; LoadBalancer gets an ingress IP and answers there", async () => {
    await ok(["expose", "deployment", "web", "--name=web-np", "--type=NodePort", "--port=80", "--target-port=8080"]);
    const np = (await jsonOf(["get", "svc", "web-np"])).spec.ports[0].nodePort;
    await waitFor("nodeport answers", async () => /^web-/.test((await node.exec(["timeout", "3", "busybox", "wget", "-q", "-O-", `http://127.0.0.1:${np}/`])).stdout), 20_000);
    await ok(["expose", "deployment", "web", "--name=web-lb", "--type=LoadBalancer", "--port=8081", "--target-port=8080"]);
    let ip = "";
    await waitFor("lb ingress", async () => {
      ip = (await jsonOf(["get", "svc", "web-lb"])).status?.loadBalancer?.ingress?.[0]?.ip ?? "";
      return ip !== "";
    }, 20_000);
    await waitFor("lb answers", async () => /^web-/.test((await node.exec(["timeout", "3", "busybox", "wget", "-q", "-O-", `http://${ip}:8081/`])).stdout), 20_000);
  });

  test("hairpin: a pod reaches itself through its Service", async () => {
    const [pod] = await webPods();
    const out = await fetchN(pod!, "http://web/", 12);
    expect(out.stdout).not.toContain("FAIL");
    expect(out.stdout).toContain(pod!);
  });

  test("ClientIP affinity pins the client to one pod", async () => {
    await ok(["apply", "-f", "-"], `apiVersion: v1
kind: Service
metadata: {name: web-aff}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{port: 80, targetPort: 8080}]
`);
    await waitFor("affinity svc works", async () => /^web-/.test((await sh("client", "timeout 3 wget -q -O- http://web-aff/")).stdout), 20_000);
    const out = await fetchN("client", "http://web-aff/", 10);
    expect(new Set(out.stdout.trim().split("\n")).size).toBe(1);
  });

  test("pods/proxy and services/proxy (kubectl proxy's paths) reach a pod and a ready endpoint", async () => {
    const pods = await webPods();
    const raw = (path: string) => k(["get", "--raw", path]);
    // a Service by port name, by port number, with an explicit scheme
    for (const name of ["web:http", "web:80", "http:web:http"]) {
      const r = await raw(`/api/v1/namespaces/default/services/${name}/proxy/index.html`);
      expect(r.stderr).toBe("");
      expect(pods).toContain(r.stdout.trim());
    }
    // a pod: its first declared container port, or the one named
    for (const p of pods) {
      expect((await raw(`/api/v1/namespaces/default/pods/${p}/proxy/index.html`)).stdout.trim()).toBe(p);
      expect((await raw(`/api/v1/namespaces/default/pods/${p}:8080/proxy/index.html`)).stdout.trim()).toBe(p);
    }
    // upstream's errors
    expect((await raw("/api/v1/namespaces/default/services/web:81/proxy/")).stderr).toContain('no service port 81 found for service "web"');
    await ok(["create", "service", "clusterip", "lonely", "--tcp=80:8080"]);
    expect((await raw("/api/v1/namespaces/default/services/lonely:80-8080/proxy/")).stderr).toContain('no endpoints available for service "lonely"');
    expect((await raw(`/api/v1/namespaces/default/pods/${pods[0]}:9/proxy/`)).stderr).toContain("error trying to reach service");
    expect((await raw("/api/v1/namespaces/default/pods/nope/proxy/")).stderr).toContain('pods "nope" not found');
  });

  test("the kubernetes Service answers on 443 from pods", async () => {
    const r = await sh("client", "timeout 5 wget -q -O- --no-check-certificate https://kubernetes.default.svc/version 2>&1; timeout 3 nc -w 2 kubernetes.default 443 </dev/null; echo rc=$?");
    expect(r.stdout).toContain("rc=0");
  });
});

describe("DNS", () => {
  test("headless Service resolves to pod IPs; SRV and PTR answer; ExternalName is a CNAME", async () => {
    await ok(["apply", "-f", "-"], `apiVersion: v1
kind: Service
metadata: {name: web-hl}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: ext}
spec:
  type: ExternalName
  externalName: example.com
`);
    const ips = ((await jsonOf(["get", "pods", "-l", "app=web"])).items as any[]).map((p) => p.status.podIP).sort();
    await waitFor("headless answer", async () => {
      const r = await sh("client", "nslookup web-hl.default.svc.cluster.local");
      return ips.every((ip) => r.stdout.includes(ip));
    }, 20_000);
    const srv = await sh("client", "nslookup -type=srv _http._tcp.web.default.svc.cluster.local");
    expect(srv.stdout).toContain("web.default.svc.cluster.local");
    const clusterIP = (await jsonOf(["get", "svc", "web"])).spec.clusterIP;
    const ptr = await sh("client", `nslookup ${clusterIP}`);
    expect(ptr.stdout).toContain("web.default.svc.cluster.local");
    const cname = await sh("client", "nslookup -type=cname ext.default.svc.cluster.local");
    expect(cname.stdout).toContain("example.com");
    const nx = await sh("client", "nslookup nope.default.svc.cluster.local; echo rc=$?");
    expect(nx.stdout + nx.stderr).toMatch(/NXDOMAIN|can't find/);
  });
});

describe("DNS forwarding", () => {
  test("a name outside the cluster is forwarded to the node's resolver (one the test runs in the node's namespace)", async () => {
    const script = join(node.dir, "resolver.cjs");
    writeFileSync(
      script,
      `const d = require("node:dgram"); const p = require(${JSON.stringify(join(REPO, "node_modules", "dns-packet"))});
const s = d.createSocket("udp4");
s.on("message", (m, r) => { const q = p.decode(m); const n = q.questions[0].name;
  s.send(p.encode({ type: "response", id: q.id, flags: p.RECURSION_AVAILABLE | (n === "outside.example" ? 0 : 3), questions: q.questions,
    answers: n === "outside.example" && q.questions[0].type === "A" ? [{ type: "A", name: n, ttl: 60, class: "IN", data: "192.0.2.7" }] : [] }), r.port, r.address); });
s.bind(53, "127.0.0.2");`,
    );
    writeFileSync(join(node.dir, "resolv.conf"), "nameserver 127.0.0.2\n");
    const started = await node.exec(["sh", "-c", `${process.execPath} ${script} >/dev/null 2>&1 & echo $!`]);
    const pid = started.stdout.trim();
    try {
      // only inside the node's own mount namespace
      const m = await node.exec(["mount", "--bind", join(node.dir, "resolv.conf"), "/etc/resolv.conf"]);
      expect(m.code).toBe(0);
      await waitFor("forwarded answer", async () => (await sh("client", "nslookup outside.example")).stdout.includes("192.0.2.7"), 30_000);
    } finally {
      await node.exec(["kill", pid]);
    }
  });
});

describe("network policy", () => {
  test("deny-all ingress, then allow from one labelled pod", async () => {
    const ip = ((await jsonOf(["get", "pods", "-l", "app=web"])).items as any[])[0].status.podIP;
    const url = `http://${ip}:8080/`;
    await ok(["apply", "-f", "-"], `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`);
    await waitFor("denied", async () => (await sh("client", `timeout 3 wget -q -O- ${url} || echo FAIL`)).stdout.includes("FAIL"), 20_000);
    await ok(["apply", "-f", "-"], `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-client}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
    ports: [{port: http}]
`);
    await waitFor("client allowed", async () => /^web-/.test((await sh("client", `timeout 3 wget -q -O- ${url}`)).stdout), 20_000);
    expect((await sh("other", `timeout 3 wget -q -O- ${url} || echo FAIL`)).stdout).toContain("FAIL");
    await ok(["delete", "networkpolicy", "deny-web", "allow-client"]);
    await waitFor("open again", async () => /^web-/.test((await sh("other", `timeout 3 wget -q -O- ${url}`)).stdout), 20_000);
  });
});

describe("restart", () => {
  test("a kubun restart keeps an established connection through a Service and Service routing working", async () => {
    await ok(["apply", "-f", "-"], podYaml("echo", { app: "echo" }, "exec nc -ll -p 9000 -e cat"));
    await ok(["apply", "-f", "-"], `apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 9000}]
`);
    await waitFor("echo service", async () => (await sh("client", "echo hi | timeout 3 nc -w 2 echo 9000")).stdout.includes("hi"), 60_000);
    // a connection that outlives the restart, run detached inside the pod (kubectl exec streams die with kubun)
    await sh("client", "rm -f /tmp/out; ((echo before; sleep 6; echo after) | timeout 20 nc echo 9000 > /tmp/out 2>&1 &)");
    await waitFor("connection open", async () => (await sh("client", "cat /tmp/out")).stdout.includes("before"), 10_000);
    await node.restart();
    await waitFor("the same connection carried data after the restart", async () => (await sh("client", "cat /tmp/out")).stdout.includes("after"), 30_000);
    const out = await fetchN("client", "http://web/", 6);
    expect(out.stdout).not.toContain("FAIL");
  });
});
