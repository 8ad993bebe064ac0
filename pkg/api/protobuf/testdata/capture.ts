// Regenerates kubectl-<version>.json: runs the real kubectl against a plain-HTTP capture server on
// 127.0.0.1 and records each request body it sends, plus what `--dry-run=client -o json` prints for
// the same command. Usage: bun pkg/api/protobuf/testdata/capture.ts 1.33 1.32
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { discovery, kindOfResource } from "./discovery.ts";

interface Captured { method: string; path: string; contentType: string; body: Uint8Array }

const KUBECTL = (v: string) => `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`;

function commands(dir: string): Array<{ name: string; args: string[]; dryRun: boolean }> {
  const c = (name: string, args: string[], dryRun = true) => ({ name, args, dryRun });
  return [
    c("namespace", ["create", "namespace", "team-a"]),
    c("configmap", ["create", "configmap", "cfg", "-n", "team-a", "--from-literal=a=1", "--from-literal=b=two words"]),
    c("secret-generic", ["create", "secret", "generic", "creds", "--from-literal=user=admin", "--from-literal=pass=s3cr=t"]),
    c("secret-tls", ["create", "secret", "tls", "tls1", `--cert=${dir}/tls.crt`, `--key=${dir}/tls.key`]),
    c("secret-docker", ["create", "secret", "docker-registry", "reg", "--docker-server=r.example", "--docker-username=u", "--docker-password=p"]),
    c("deployment", ["create", "deployment", "web", "--image=busybox", "--replicas=2", "--port=80"]),
    c("deployment-cmd", ["create", "deployment", "sleeper", "--image=busybox", "--", "sleep", "3600"]),
    c("service-clusterip", ["create", "service", "clusterip", "svc1", "--tcp=80:8080"]),
    c("service-clusterip-none", ["create", "service", "clusterip", "headless", "--clusterip=None"]),
    c("service-nodeport", ["create", "service", "nodeport", "svc2", "--tcp=80:8080", "--node-port=30080"]),
    c("service-loadbalancer", ["create", "service", "loadbalancer", "svc3", "--tcp=443:8443"]),
    c("service-externalname", ["create", "service", "externalname", "svc4", "--external-name=example.com"]),
    c("job", ["create", "job", "j1", "--image=busybox", "--", "echo", "hi"]),
    c("cronjob", ["create", "cronjob", "cj1", "--image=busybox", "--schedule=*/5 * * * *", "--", "date"]),
    c("role", ["create", "role", "reader", "--verb=get,list,watch", "--resource=pods,deployments.apps", "--resource-name=a"]),
    c("clusterrole", ["create", "clusterrole", "creader", "--verb=get", "--resource=nodes", "--non-resource-url=/logs/*"]),
    c("clusterrole-aggregate", ["create", "clusterrole", "agg", "--aggregation-rule=rbac.example.com/aggregate=true"]),
    c("rolebinding", ["create", "rolebinding", "rb", "--role=reader", "--user=alice", "--group=devs", "--serviceaccount=default:sa1"]),
    c("clusterrolebinding", ["create", "clusterrolebinding", "crb", "--clusterrole=creader", "--user=bob"]),
    c("serviceaccount", ["create", "serviceaccount", "sa1"]),
    c("quota", ["create", "quota", "q1", "--hard=cpu=1,memory=1Gi,pods=10", "--scopes=BestEffort"]),
    c("priorityclass", ["create", "priorityclass", "high", "--value=1000", "--global-default=false", "--description=important", "--preemption-policy=Never"]),
    c("ingress", ["create", "ingress", "ing", "--class=nginx", "--rule=foo.com/bar*=svc1:8080,tls=my-cert", "--annotation=a=b"]),
    c("pdb", ["create", "pdb", "pdb1", "--selector=app=web", "--min-available=50%"]),
    c("pdb-max", ["create", "pdb", "pdb2", "--selector=app=web", "--max-unavailable=1"]),
    c("token", ["create", "token", "sa1", "--audience=api", "--duration=1h"], false),
    c("token-bound", ["create", "token", "sa1", "--bound-object-kind=Pod", "--bound-object-name=p1", "--bound-object-uid=p-1"], false),
    c("autoscale", ["autoscale", "deployment", "web", "--min=2", "--max=5", "--cpu-percent=80"]),
    c("can-i", ["auth", "can-i", "create", "deployments.apps", "-n", "team-a"], false),
    c("can-i-subresource", ["auth", "can-i", "get", "pods", "--subresource=log"], false),
    c("whoami", ["auth", "whoami"], false),
    c("drain-evict", ["drain", "node-1", "--grace-period=30", "--timeout=20s"], false),
    c("drain-delete", ["drain", "node-1", "--disable-eviction", "--grace-period=30", "--timeout=20s"], false),
  ];
}

const node = { apiVersion: "v1", kind: "Node", metadata: { name: "node-1", uid: "n-1", resourceVersion: "1" }, spec: {}, status: {} };
const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p1", namespace: "default", uid: "p-1", resourceVersion: "1", ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "rs-1", controller: true }] },
  spec: { nodeName: "node-1", containers: [{ name: "c", image: "busybox" }] },
  status: { phase: "Running" },
};
const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", uid: "d-1", resourceVersion: "1" },
  spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "busybox" }] } } },
};
/** Answers what `kubectl drain` and `kubectl autoscale` read: the node, the pods on it, and the pod until it is evicted or deleted. */
function drainState(method: string, path: string, state: { gone: boolean }): unknown {
  if (path === "/api/v1/nodes/node-1") return node;
  if (method === "GET" && path === "/apis/apps/v1/namespaces/default/deployments/web") return deployment;
  if (method === "GET" && path === "/api/v1/pods") return { apiVersion: "v1", kind: "PodList", metadata: { resourceVersion: "1" }, items: state.gone ? [] : [pod] };
  if (path === "/api/v1/namespaces/default/pods/p1") {
    if (method === "DELETE") return (state.gone = true), { kind: "Status", apiVersion: "v1", status: "Success" };
    return state.gone ? undefined : pod;
  }
  if (method === "POST" && path === "/api/v1/namespaces/default/pods/p1/eviction") return (state.gone = true), { kind: "Status", apiVersion: "v1", status: "Success", code: 201 };
  return undefined;
}

function echo(method: string, path: string): unknown {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+)\/([^/]+))?$/.exec(path);
  if (method !== "POST" || !m) return undefined;
  const gv = m[1] ?? m[2]!;
  const resource = m[6] ? `${m[4]}/${m[6]}` : m[4]!;
  const kind = kindOfResource(gv, resource) ?? "Unknown";
  const obj: Record<string, any> = { apiVersion: gv === "v1" && resource.endsWith("/token") ? "authentication.k8s.io/v1" : gv, kind };
  obj.metadata = { name: m[5] ?? "captured", namespace: m[3], uid: "00000000-0000-0000-0000-000000000001", resourceVersion: "1", creationTimestamp: "2025-01-01T00:00:00Z" };
  if (kind === "TokenRequest") obj.status = { token: "captured-token", expirationTimestamp: "2025-01-01T01:00:00Z" };
  if (kind === "SelfSubjectAccessReview") obj.status = { allowed: true };
  if (kind === "SelfSubjectReview") obj.status = { userInfo: { username: "captured", groups: ["system:authenticated"] } };
  return obj;
}

async function run(bin: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const p = Bun.spawn([bin, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => p.kill(), 30_000);
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  clearTimeout(timer);
  return { code, out, err };
}

export async function capture(version: string): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), "kubun-pb-capture-"));
  const captured: Captured[] = [];
  const state = { gone: false };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const body = new Uint8Array(await req.arrayBuffer());
      if (req.method !== "GET" && req.method !== "PATCH") captured.push({ method: req.method, path: url.pathname, contentType: req.headers.get("content-type") ?? "", body });
      const d = drainState(req.method, url.pathname, state) ?? (req.method === "GET" ? discovery(url.pathname) : echo(req.method, url.pathname));
      if (d === undefined) return new Response(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 }), { status: 404, headers: { "content-type": "application/json" } });
      return Response.json(d, { status: req.method === "POST" ? 201 : 200 });
    },
  });
  try {
    const ssl = Bun.spawnSync(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=example.com", "-keyout", `${dir}/tls.key`, "-out", `${dir}/tls.crt`]);
    if (ssl.exitCode !== 0) throw new Error(`openssl: ${ssl.stderr}`);
    writeFileSync(`${dir}/config`, `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${server.port}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n    namespace: default\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n`);
    const env = { HOME: dir, KUBECONFIG: `${dir}/config`, PATH: "/usr/bin:/bin" };
    const out: unknown[] = [];
    for (const cmd of commands(dir)) {
      captured.length = 0;
      state.gone = false;
      const r = await run(KUBECTL(version), cmd.args, env);
      if (r.code !== 0) throw new Error(`kubectl ${cmd.args.join(" ")}: exit ${r.code}: ${r.err}`);
      const posts = captured.filter((c) => c.method === "POST" || c.method === "DELETE");
      if (posts.length !== 1) throw new Error(`kubectl ${cmd.args.join(" ")}: ${posts.length} bodies captured`);
      const p = posts[0]!;
      let expected: unknown;
      if (cmd.dryRun) {
        const cut = cmd.args.includes("--") ? cmd.args.indexOf("--") : cmd.args.length; // flags go before "--"
        const args = [...cmd.args.slice(0, cut), "--dry-run=client", "-o", "json", ...cmd.args.slice(cut)];
        const dr = await run(KUBECTL(version), args, env);
        if (dr.code !== 0) throw new Error(`dry-run ${cmd.args.join(" ")}: ${dr.err}`);
        expected = JSON.parse(dr.out);
      }
      out.push({ name: cmd.name, args: cmd.args, method: p.method, path: p.path, contentType: p.contentType, body: Buffer.from(p.body).toString("base64"), expected });
    }
    return out;
  } finally {
    server.stop(true);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  for (const v of process.argv.slice(2)) {
    const records = await capture(v);
    writeFileSync(join(import.meta.dir, `kubectl-${v}.json`), JSON.stringify(records, null, 1) + "\n");
    console.log(`kubectl ${v}: ${records.length} bodies`);
  }
}
