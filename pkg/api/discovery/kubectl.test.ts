// End-to-end: the real kubectl 1.27, 1.30 and 1.33 against discovery and OpenAPI served from this
// package's functions (plain HTTP on 127.0.0.1, fresh HOME per run so no discovery cache is reused).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDiscoveryServer, type TestServer } from "./testserver.ts";

const KUBECTL_DIR = "/usr/lib/google-cloud-sdk/bin";
const VERSIONS = ["1.27", "1.30", "1.33"].filter((v) => existsSync(`${KUBECTL_DIR}/kubectl.${v}`));

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
        env: [{name: A, value: "1"}]
        resources: {limits: {cpu: 1, memory: 64Mi}, requests: {cpu: 100m}}
      - name: side
        image: busybox
`;

/** The live object the fake serves: an earlier apply of the same deployment with one container. */
function liveDeployment(): object {
  const applied = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.24" }] } },
    },
  };
  return {
    ...applied,
    metadata: {
      ...applied.metadata,
      uid: "0b7c7b3e-0000-4000-8000-000000000001",
      resourceVersion: "5",
      generation: 1,
      creationTimestamp: "2026-01-01T00:00:00Z",
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) },
    },
  };
}

let server: TestServer;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kubun-kubectl-"));
  server = startDiscoveryServer(new Map([["/apis/apps/v1/namespaces/default/deployments/web", liveDeployment()]]));
  writeFileSync(
    join(dir, "kubeconfig"),
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: ${server.url}\ncontexts:\n- name: t\n  context: {cluster: t, user: u, namespace: default}\ncurrent-context: t\nusers:\n- name: u\n  user: {}\n`,
  );
  writeFileSync(join(dir, "deploy.yaml"), DEPLOYMENT);
  writeFileSync(join(dir, "unknown-field.yaml"), DEPLOYMENT.replace("  replicas: 2\n", "  replicas: 2\n  bogusField: 1\n"));
});

afterAll(() => {
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let homes = 0;
/** Run one kubectl with a fresh HOME (no discovery/OpenAPI cache), bounded by a timeout. */
async function kubectl(version: string, ...args: string[]) {
  const home = join(dir, `home-${homes++}`);
  const proc = Bun.spawn([`${KUBECTL_DIR}/kubectl.${version}`, ...args], {
    cwd: dir,
    env: { PATH: "/usr/bin:/bin", HOME: home, KUBECONFIG: join(dir, "kubeconfig") },
    stdout: "pipe",
    stderr: "pipe",
  });
  const timer = setTimeout(() => proc.kill(), 20_000);
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  return { stdout, stderr, code };
}

describe.each(VERSIONS)("kubectl %s", (version) => {
  test("api-resources lists every resource with short names and scope", async () => {
    const r = await kubectl(version, "api-resources");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const rows = new Map(
      r.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .map((c) => [`${c[0]} ${c.at(-1)}`, c]),
    );
    const row = (name: string, kind: string) => rows.get(`${name} ${kind}`);
    expect(row("pods", "Pod")).toEqual(["pods", "po", "v1", "true", "Pod"]);
    expect(row("deployments", "Deployment")).toEqual(["deployments", "deploy", "apps/v1", "true", "Deployment"]);
    expect(row("horizontalpodautoscalers", "HorizontalPodAutoscaler")).toEqual(["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler"]);
    expect(row("customresourcedefinitions", "CustomResourceDefinition")).toEqual(["customresourcedefinitions", "crd,crds", "apiextensions.k8s.io/v1", "false", "CustomResourceDefinition"]);
    expect(row("pods", "PodMetrics")).toEqual(["pods", "metrics.k8s.io/v1beta1", "true", "PodMetrics"]);
    for (const [name, short] of [["services", "svc"], ["namespaces", "ns"], ["cronjobs", "cj"], ["networkpolicies", "netpol"], ["certificatesigningrequests", "csr"], ["resourcequotas", "quota"]]) {
      expect([...rows.values()].some((c) => c[0] === name && c[1] === short)).toBe(true);
    }
    const verbs = await kubectl(version, "api-resources", "--verbs=list", "-o", "name", "--api-group=apps");
    expect(verbs.stdout.trim().split("\n").sort()).toEqual(["controllerrevisions.apps", "daemonsets.apps", "deployments.apps", "replicasets.apps", "statefulsets.apps"]);
  });

  test("api-versions lists the group-versions", async () => {
    const r = await kubectl(version, "api-versions");
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    for (const gv of ["v1", "apps/v1", "autoscaling/v1", "autoscaling/v2", "batch/v1", "events.k8s.io/v1", "metrics.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1"]) expect(lines).toContain(gv);
  });

  test("explain prints fields of pod.spec.containers and deployment.spec.strategy", async () => {
    const pod = await kubectl(version, "explain", "pod.spec.containers");
    expect(pod.code).toBe(0);
    expect(pod.stdout).toContain("FIELD: containers <[]Container>");
    expect(pod.stdout).toMatch(/^\s+image\s+<string>/m);
    expect(pod.stdout).toMatch(/^\s+ports\s+<\[\]ContainerPort>/m);
    const strategy = await kubectl(version, "explain", "deployment.spec.strategy");
    expect(strategy.code).toBe(0);
    expect(strategy.stdout).toContain("GROUP:      apps");
    expect(strategy.stdout).toMatch(/^\s+rollingUpdate\s+<RollingUpdateDeployment>/m);
    expect(strategy.stdout).toMatch(/^\s+type\s+<string>/m);
    const nested = await kubectl(version, "explain", "deployment.spec.strategy.rollingUpdate.maxSurge");
    expect(nested.stdout).toMatch(/FIELD: maxSurge <(IntOrString|string)>/);
  });

  test("create --dry-run=client validates without OpenAPI warnings, leaving unknown fields to the server", async () => {
    const ok = await kubectl(version, "create", "--dry-run=client", "--validate=strict", "-f", "deploy.yaml");
    expect(ok.stderr).toBe("");
    expect(ok.stdout.trim()).toBe("deployment.apps/web created (dry run)");
    // The PATCH operation lists fieldValidation, so kubectl defers unknown-field checks to the server
    // instead of failing client-side.
    const unknown = await kubectl(version, "create", "--dry-run=client", "--validate=strict", "-f", "unknown-field.yaml");
    expect(unknown.stderr).toBe("");
    expect(unknown.code).toBe(0);
  });

  test("apply computes a strategic merge patch from the served schema without warnings", async () => {
    const before = server.patches.length;
    const r = await kubectl(version, "apply", "-f", "deploy.yaml");
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("deployment.apps/web configured");
    const patch = server.patches.slice(before).at(-1)!;
    expect(patch.contentType).toContain("application/strategic-merge-patch+json");
    const podSpec = patch.body.spec.template.spec;
    // Merge keys from the schema: containers by name, in the applied order.
    expect(podSpec["$setElementOrder/containers"]).toEqual([{ name: "web" }, { name: "side" }]);
    expect(podSpec.containers).toContainEqual({ name: "side", image: "busybox" });
    expect(patch.body.spec.replicas).toBe(2);
  });
});

test("the kubectl binaries are installed", () => {
  expect(VERSIONS).toEqual(["1.27", "1.30", "1.33"]);
});

test("python3-kubernetes' dynamic client resolves kinds through legacy discovery", async () => {
  const script = `
import sys
from kubernetes import config, dynamic
from kubernetes.client import api_client
c = dynamic.DynamicClient(api_client.ApiClient(configuration=config.load_kube_config(config_file=sys.argv[1])))
for av, kind in [("apps/v1", "Deployment"), ("v1", "Pod"), ("autoscaling/v2", "HorizontalPodAutoscaler")]:
    r = c.resources.get(api_version=av, kind=kind)
    print(r.group_version, r.name, r.namespaced, ",".join(r.short_names), ",".join(sorted(r.subresources.keys())))
print(c.resources.get(short_names=["netpol"]).kind)
`;
  const proc = Bun.spawn(["/usr/bin/python3", "-c", script, join(dir, "kubeconfig")], { env: { PATH: "/usr/bin:/bin", HOME: join(dir, "home-py") }, stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill(), 30_000);
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  clearTimeout(timer);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(out.trim().split("\n")).toEqual([
    "apps/v1 deployments True deploy scale,status",
    "v1 pods True po attach,binding,ephemeralcontainers,eviction,exec,log,portforward,proxy,resize,status",
    "autoscaling/v2 horizontalpodautoscalers True hpa status",
    "NetworkPolicy",
  ]);
});
