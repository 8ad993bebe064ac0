import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { ADMIN, makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

const cm = (name: string, data: Record<string, string> = { a: "1" }, extra: Record<string, unknown> = {}) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...extra }, data });
const deploy = (name: string, replicas = 1) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx" }] } } },
});

describe("create/get/update/delete", () => {
  test("configmap round trip with server metadata", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("one"));
    expect(c.status).toBe(201);
    expect(c.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.body.metadata.creationTimestamp).toMatch(/Z$/);
    expect(Number(c.body.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(c.body.metadata.namespace).toBe("default");
    const g = await h.call("GET", "/api/v1/namespaces/default/configmaps/one");
    expect(g.status).toBe(200);
    expect(g.body).toEqual(c.body);
    const dup = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("one"));
    expect(dup.status).toBe(409);
    expect(dup.body.reason).toBe("AlreadyExists");
    expect(dup.body.message).toBe('configmaps "one" already exists');
  });

  test("update with stale resourceVersion is a 409 Conflict; unconditional update works", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("one"));
    const rv = c.body.metadata.resourceVersion;
    const u1 = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", { ...c.body, data: { a: "2" } });
    expect(u1.status).toBe(200);
    expect(u1.body.data.a).toBe("2");
    expect(Number(u1.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    expect(u1.body.metadata.uid).toBe(c.body.metadata.uid);
    const stale = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", { ...c.body, data: { a: "3" } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe("Conflict");
    expect(stale.body.message).toBe('Operation cannot be fulfilled on configmaps "one": the object has been modified; please apply your changes to the latest version and try again');
    const uncond = cm("one", { a: "4" });
    const u2 = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", uncond);
    expect(u2.status).toBe(200);
    expect(u2.body.data.a).toBe("4");
    const otherUid = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", cm("one", { a: "5" }, { uid: "not-the-uid" }));
    expect(otherUid.status).toBe(409);
    expect(otherUid.body.message).toContain("Precondition failed: UID in precondition: not-the-uid");
    const mismatch = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", cm("two"));
    expect(mismatch.status).toBe(400);
    const missing = await h.call("PUT", "/api/v1/namespaces/default/configmaps/zzz", cm("zzz"));
    expect(missing.status).toBe(404);
  });

  test("an update that changes nothing does not write", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("one"));
    const before = h.backend.currentRevision();
    const u = await h.call("PUT", "/api/v1/namespaces/default/configmaps/one", c.body);
    expect(u.status).toBe(200);
    expect(u.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
    expect(h.backend.currentRevision()).toBe(before);
  });

  test("dryRun=All stores nothing on create, update and delete", async () => {
    const snap = await h.snapshot();
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", cm("dry"));
    expect(c.status).toBe(201);
    expect(c.body.metadata.uid).toBeTruthy();
    expect(await h.snapshot()).toBe(snap);
    expect((await h.call("GET", "/api/v1/namespaces/default/configmaps/dry")).status).toBe(404);
    const real = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("real"));
    const snap2 = await h.snapshot();
    const u = await h.call("PUT", "/api/v1/namespaces/default/configmaps/real?dryRun=All", { ...real.body, data: { a: "9" } });
    expect(u.status).toBe(200);
    expect(u.body.data.a).toBe("9");
    const d = await h.call("DELETE", "/api/v1/namespaces/default/configmaps/real", { dryRun: ["All"] });
    expect(d.status).toBe(200);
    expect(await h.snapshot()).toBe(snap2);
    const bad = await h.call("POST", "/api/v1/namespaces/default/configmaps?dryRun=Some", cm("x"));
    expect(bad.status).toBe(422);
  });

  test("a create carrying a resourceVersion is refused like upstream", async () => {
    const snap = await h.snapshot();
    const r = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("rv", { a: "1" }, { resourceVersion: "12" }));
    expect(r.status).toBe(500);
    expect(r.body.message).toBe("resourceVersion should not be set on objects to be created");
    expect(await h.snapshot()).toBe(snap);
  });

  test("generateName gets a 5-character suffix", async () => {
    const a = await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "gen-" } });
    const b = await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "gen-" } });
    expect(a.status).toBe(201);
    expect(a.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(a.body.metadata.generateName).toBe("gen-");
    expect(b.body.metadata.name).not.toBe(a.body.metadata.name);
    const none = await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: {} });
    expect(none.status).toBe(422);
    expect(none.body.details.causes[0].field).toBe("metadata.name");
  });

  test("cluster-scoped kinds and generation bumps on spec changes only", async () => {
    const ns = await h.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
    expect(ns.status).toBe(201);
    expect(ns.body.status.phase).toBe("Active");
    expect(ns.body.spec.finalizers).toEqual(["kubernetes"]);
    expect(ns.body.metadata.labels["kubernetes.io/metadata.name"]).toBe("team");
    const d = await h.call("POST", "/apis/apps/v1/namespaces/team/deployments", deploy("web"));
    expect(d.status).toBe(201);
    expect(d.body.metadata.generation).toBe(1);
    const labelled = { ...d.body, metadata: { ...d.body.metadata, labels: { app: "web", x: "y" } } };
    const u1 = await h.call("PUT", "/apis/apps/v1/namespaces/team/deployments/web", labelled);
    expect(u1.body.metadata.generation).toBe(1);
    const scaled = { ...u1.body, spec: { ...u1.body.spec, replicas: 3 } };
    const u2 = await h.call("PUT", "/apis/apps/v1/namespaces/team/deployments/web", scaled);
    expect(u2.body.metadata.generation).toBe(2);
    const list = await h.call("GET", "/apis/apps/v1/deployments");
    expect(list.body.kind).toBe("DeploymentList");
    expect(list.body.items.map((x: any) => x.metadata.name)).toEqual(["web"]);
  });

  test("namespace must exist and must not be terminating", async () => {
    const snap = await h.snapshot();
    const r = await h.call("POST", "/api/v1/namespaces/nope/configmaps", cm("x"));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "nope" not found');
    expect(await h.snapshot()).toBe(snap);
    await h.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: "gone" } });
    const del = await h.call("DELETE", "/api/v1/namespaces/gone");
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe("Terminating");
    expect(del.body.metadata.deletionTimestamp).toBeTruthy();
    const t = await h.call("POST", "/api/v1/namespaces/gone/configmaps", cm("x"));
    expect(t.status).toBe(403);
    expect(t.body.message).toBe('configmaps "x" is forbidden: unable to create new content in namespace gone because it is being terminated');
    const sys = await h.call("DELETE", "/api/v1/namespaces/kube-system");
    expect(sys.status).toBe(403);
    expect(sys.body.message).toBe('namespaces "kube-system" is forbidden: this namespace may not be deleted');
    // The namespace controller's finalize then removes it.
    const ns = (await h.call("GET", "/api/v1/namespaces/gone")).body;
    const fin = await h.call("PUT", "/api/v1/namespaces/gone/finalize", { ...ns, spec: { finalizers: [] } });
    expect(fin.status).toBe(200);
    expect((await h.call("GET", "/api/v1/namespaces/gone")).status).toBe(404);
  });

  test("body namespace must match the URL", async () => {
    const r = await h.call("POST", "/api/v1/namespaces/default/configmaps", cm("x", {}, { namespace: "kube-system" }));
    expect(r.status).toBe(400);
    expect(r.body.message).toContain("does not match the namespace sent on the request");
  });

  test("unsupported verbs are 405, unknown resources 404", async () => {
    expect((await h.call("PUT", "/api/v1/namespaces/default/configmaps", cm("x"))).status).toBe(405);
    expect((await h.call("POST", "/api/v1/namespaces/default/configmaps/x", cm("x"))).status).toBe(405);
    const u = await h.call("GET", "/api/v1/namespaces/default/widgets");
    expect(u.status).toBe(404);
    expect(u.body.kind).toBe("Status");
  });

  test("status subresource touches only status; main PUT ignores status", async () => {
    const d = await h.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploy("web"));
    const withStatus = { ...d.body, spec: { ...d.body.spec, replicas: 5 }, status: { replicas: 7, observedGeneration: 1 } };
    const s = await h.call("PUT", "/apis/apps/v1/namespaces/default/deployments/web/status", withStatus);
    expect(s.status).toBe(200);
    expect(s.body.status.replicas).toBe(7);
    expect(s.body.spec.replicas).toBe(1);
    const main = await h.call("PUT", "/apis/apps/v1/namespaces/default/deployments/web", { ...s.body, status: { replicas: 0 }, spec: { ...s.body.spec, replicas: 2 } });
    expect(main.status).toBe(200);
    expect(main.body.status.replicas).toBe(7);
    expect(main.body.spec.replicas).toBe(2);
    const sp = await h.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/status", { status: { readyReplicas: 1 }, spec: { replicas: 9 } }, { "content-type": "application/merge-patch+json" });
    expect(sp.status).toBe(200);
    expect(sp.body.status.readyReplicas).toBe(1);
    expect(sp.body.spec.replicas).toBe(2);
  });

  test("scale subresource reads and writes spec.replicas", async () => {
    await h.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploy("web", 2));
    const g = await h.call("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale");
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ kind: "Scale", apiVersion: "autoscaling/v1", spec: { replicas: 2 }, status: { replicas: 0, selector: "app=web" } });
    const put = await h.app.fetch(
      new Request("https://x/apis/apps/v1/namespaces/default/deployments/web/scale", { method: "PUT", body: JSON.stringify({ ...g.body, spec: { replicas: 4 } }) }),
      { user: { username: "a", groups: [] } },
    );
    expect(put.status).toBe(200);
    expect(((await put.json()) as any).spec.replicas).toBe(4);
    const p = await h.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale", { spec: { replicas: 6 } }, { "content-type": "application/merge-patch+json" });
    expect(p.body.spec.replicas).toBe(6);
    const d = await h.call("GET", "/apis/apps/v1/namespaces/default/deployments/web");
    expect(d.body.spec.replicas).toBe(6);
    expect(d.body.metadata.generation).toBe(3);
    const stale = await h.call("PUT", "/apis/apps/v1/namespaces/default/deployments/web/scale", { ...g.body, spec: { replicas: 1 } });
    expect(stale.status).toBe(409);
  });

  test("pods/binding sets spec.nodeName once", async () => {
    await h.call("POST", "/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: "busybox" }] } });
    const b = await h.call("POST", "/api/v1/namespaces/default/pods/p/binding", { apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { apiVersion: "v1", kind: "Node", name: "node1" } });
    expect(b.status).toBe(201);
    const p = await h.call("GET", "/api/v1/namespaces/default/pods/p");
    expect(p.body.spec.nodeName).toBe("node1");
    expect(p.body.status.conditions.find((c: any) => c.type === "PodScheduled").status).toBe("True");
    const again = await h.call("POST", "/api/v1/namespaces/default/pods/p/binding", { apiVersion: "v1", kind: "Binding", metadata: { name: "p" }, target: { kind: "Node", name: "node2" } });
    expect(again.status).toBe(409);
  });
});

describe("pod subresources", () => {
  test("ephemeralcontainers and resize change only their part", async () => {
    const p = await h.call("POST", "/api/v1/namespaces/default/pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "100m" } } }] },
    });
    const eph = await h.call("PATCH", "/api/v1/namespaces/default/pods/p/ephemeralcontainers", { spec: { ephemeralContainers: [{ name: "dbg", image: "busybox" }], nodeName: "sneaky" } }, { "content-type": "application/strategic-merge-patch+json" });
    expect(eph.status).toBe(200);
    expect(eph.body.spec.ephemeralContainers[0].name).toBe("dbg");
    expect(eph.body.spec.nodeName).toBeUndefined();
    const rs = await h.call("PATCH", "/api/v1/namespaces/default/pods/p/resize", { spec: { containers: [{ name: "c", image: "evil", resources: { requests: { cpu: "200m" } } }] } }, { "content-type": "application/strategic-merge-patch+json" });
    expect(rs.status).toBe(200);
    expect(rs.body.spec.containers[0].resources.requests.cpu).toBe("200m");
    expect(rs.body.spec.containers[0].image).toBe(p.body.spec.containers[0].image);
  });
});

describe("connect subresources", () => {
  test("pods/log checks the container and hands the request to the connect hook", async () => {
    const seen: any[] = [];
    const h2 = await makeHarness({
      connect: async (r) => {
        seen.push({ sub: r.subresource, name: r.name, node: r.object.spec?.nodeName, path: r.path, q: new URL(r.request.url).searchParams.get("container") });
        return new Response("line1\n", { headers: { "Content-Type": "text/plain" } });
      },
    });
    try {
      const pod = (name: string, containers: string[], nodeName?: string) => ({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: { nodeName, containers: containers.map((c) => ({ name: c, image: "busybox" })) },
      });
      await h2.call("POST", "/api/v1/namespaces/default/pods", pod("two", ["a", "b"], "n1"));
      await h2.call("POST", "/api/v1/namespaces/default/pods", pod("one", ["a"]));
      const pick = await h2.call("GET", "/api/v1/namespaces/default/pods/two/log");
      expect(pick.status).toBe(400);
      expect(pick.body.message).toBe("a container name must be specified for pod two, choose one of: [a b]");
      expect((await h2.call("GET", "/api/v1/namespaces/default/pods/two/log?container=zz")).body.message).toBe("container zz is not valid for pod two");
      expect((await h2.call("GET", "/api/v1/namespaces/default/pods/one/log")).body.message).toBe("pod one does not have a host assigned");
      const ok = await h2.call("GET", "/api/v1/namespaces/default/pods/two/log?container=b&follow=true");
      expect(ok.status).toBe(200);
      expect(ok.text).toBe("line1\n");
      const px = await h2.call("GET", "/api/v1/namespaces/default/pods/two/proxy/healthz/x");
      expect(px.status).toBe(200);
      expect(seen).toEqual([
        { sub: "log", name: "two", node: "n1", path: undefined, q: "b" },
        { sub: "proxy", name: "two", node: "n1", path: "/healthz/x", q: null },
      ]);
      expect((await h2.call("DELETE", "/api/v1/namespaces/default/pods/two/log")).status).toBe(405);
    } finally {
      await h2.close();
    }
    // Without a connect hook the subresource is unavailable, not missing.
    await h.call("POST", "/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "x" }, spec: { nodeName: "n", containers: [{ name: "a", image: "b" }] } });
    expect((await h.call("GET", "/api/v1/namespaces/default/pods/x/log")).status).toBe(503);
  });
});

describe("in-flight limits", () => {
  test("requests beyond the mutating limit get 429 with Retry-After; watches are not counted", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const h2 = await makeHarness({
      maxMutatingRequestsInFlight: 1,
      authorize: async (_u, a) => {
        if (a.verb === "create" && calls++ === 0) await gate; // hold the first create in flight
        return { allowed: true };
      },
    });
    try {
      const w = await h2.app.fetch(new Request("https://x/api/v1/namespaces/default/configmaps?watch=true"), { user: { username: "a", groups: [] } });
      expect(w.status).toBe(200);
      const first = h2.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } });
      for (let i = 0; i < 200 && calls === 0; i++) await Bun.sleep(5); // until the first create holds its slot
      expect(calls).toBe(1);
      const second = await h2.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } });
      expect(second.status).toBe(429);
      expect(second.body.reason).toBe("TooManyRequests");
      expect(second.headers.get("retry-after")).toBe("1");
      release();
      expect((await first).status).toBe(201);
      const third = await h2.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
      expect(third.status).toBe(201);
      await w.body?.cancel();
    } finally {
      release();
      await h2.close();
    }
  });
});

describe("serviceaccounts/token", () => {
  test("TokenRequest claims are signed by the hook; bound pods are checked", async () => {
    const signed: any[] = [];
    const h2 = await makeHarness({
      now: () => new Date("2026-01-01T00:00:00Z"),
      signServiceAccountToken: async (claims) => {
        signed.push(claims);
        return `signed.${signed.length}`;
      },
    });
    try {
      const sa = await h2.call("POST", "/api/v1/namespaces/default/serviceaccounts", { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "bot" } });
      const pod = await h2.call("POST", "/api/v1/namespaces/default/pods", { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { nodeName: "n1", containers: [{ name: "c", image: "x" }] } });
      const r = await h2.call("POST", "/api/v1/namespaces/default/serviceaccounts/bot/token", {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { audiences: ["api"], expirationSeconds: 600, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "p", uid: pod.body.metadata.uid } },
      });
      expect(r.status).toBe(201);
      expect(r.body.status).toEqual({ token: "signed.1", expirationTimestamp: "2026-01-01T00:10:00Z" });
      expect(signed[0]).toMatchObject({
        aud: ["api"],
        iss: "https://kubernetes.default.svc.cluster.local",
        sub: "system:serviceaccount:default:bot",
        iat: 1767225600,
        exp: 1767226200,
        "kubernetes.io": { namespace: "default", serviceaccount: { name: "bot", uid: sa.body.metadata.uid }, pod: { name: "p", uid: pod.body.metadata.uid }, node: { name: "n1" } },
      });
      const short = await h2.call("POST", "/api/v1/namespaces/default/serviceaccounts/bot/token", { spec: { expirationSeconds: 10 } });
      expect(short.status).toBe(422);
      const stale = await h2.call("POST", "/api/v1/namespaces/default/serviceaccounts/bot/token", { spec: { boundObjectRef: { kind: "Pod", name: "p", uid: "old" } } });
      expect(stale.status).toBe(409);
      expect((await h2.call("POST", "/api/v1/namespaces/default/serviceaccounts/nobody/token", { spec: {} })).status).toBe(404);
    } finally {
      await h2.close();
    }
    expect((await h.call("POST", "/api/v1/namespaces/default/serviceaccounts/default/token", { spec: {} })).status).toBe(404);
  });
});

describe("resources served by other components", () => {
  test("resourceServers answer instead of storage, after authorization", async () => {
    const h2 = await makeHarness({
      authorize: async (_u, a) => ({ allowed: a.resource !== "nodes" || a.verb !== "list" }),
      resourceServers: {
        "metrics.k8s.io/v1beta1/pods": async (r) =>
          new Response(JSON.stringify({ kind: "PodMetricsList", apiVersion: "metrics.k8s.io/v1beta1", metadata: {}, items: [{ metadata: { name: `from-${r.verb}-${r.namespace}` } }] }), {
            headers: { "Content-Type": "application/json" },
          }),
        "metrics.k8s.io/v1beta1/nodes": async () => new Response("{}"),
      },
    });
    try {
      const r = await h2.call("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods");
      expect(r.status).toBe(200);
      expect(r.body.items[0].metadata.name).toBe("from-list-default");
      expect((await h2.call("GET", "/apis/metrics.k8s.io/v1beta1/nodes")).status).toBe(403);
    } finally {
      await h2.close();
    }
  });
});

describe("authorization for requests another component serves", () => {
  test("app.authorize applies the authorizer to pods/log, exec and metrics paths with upstream's verbs and message", async () => {
    const seen: string[] = [];
    const h2 = await makeHarness({
      authorize: async (u, a) => {
        seen.push(`${a.verb} ${a.resource}/${a.subresource ?? ""}`);
        return { allowed: u.username !== "bob" };
      },
    });
    try {
      const bob = { username: "bob", groups: ["system:authenticated"] };
      const u = (p: string) => new URL(`https://kubun${p}`);
      const denied = await h2.app.authorize("GET", u("/api/v1/namespaces/default/pods/web/log"), bob);
      expect(denied?.status.code).toBe(403);
      expect(denied?.status.message).toBe('pods "web" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "default"');
      expect((await h2.app.authorize("POST", u("/api/v1/namespaces/default/pods/web/exec?command=sh"), bob))?.status.message).toContain('cannot create resource "pods/exec"');
      expect(await h2.app.authorize("GET", u("/apis/metrics.k8s.io/v1beta1/nodes"), ADMIN)).toBeNull();
      expect(seen).toEqual(["get pods/log", "create pods/exec", "list nodes/"]);
    } finally {
      await h2.close();
    }
  });
});
