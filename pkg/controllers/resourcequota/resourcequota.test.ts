import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { PODS } from "../history/podutil.ts";
import { RESOURCEQUOTAS, startResourceQuotaController } from "./controller.ts";
import { checkQuota, updateUsage, usedAfter } from "../../api/admission/quota.ts";
import { applyLimitRangeDefaults, checkLimitRanges } from "../../api/admission/limitrange.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";

beforeAll(async () => {
  env = await startControllerEnv();
  const running = startResourceQuotaController(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const pod = (name: string, res?: Record<string, unknown>): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: NS }, spec: { containers: [{ name: "c", image: "x", ...(res ? { resources: res } : {}) }] } });

describe("resourcequota", () => {
  test("status.used follows pods, configmaps, services and object counts", async () => {
    await env.api.client.create(RESOURCEQUOTAS, { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "q", namespace: NS }, spec: { hard: { pods: "3", "requests.cpu": "2", "limits.memory": "1Gi", configmaps: "10", services: "2", "count/deployments.apps": "5" } } }, { namespace: NS });
    const get = () => env.api.client.get<KubeObject>(RESOURCEQUOTAS, "q", { namespace: NS });
    // Admission refuses constrained creates until the controller has published status.hard (as upstream).
    await waitFor(async () => !!(await get()).status?.hard, 5000, "hard");
    await env.api.client.create(PODS, pod("a", { requests: { cpu: "250m" }, limits: { memory: "128Mi" } }), { namespace: NS });
    await env.api.client.create(PODS, pod("b", { requests: { cpu: "500m" }, limits: { memory: "256Mi" } }), { namespace: NS });
    await env.api.client.create({ group: "", version: "v1", resource: "services" }, { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: NS }, spec: { ports: [{ port: 80 }] } }, { namespace: NS });
    await waitFor(async () => (await get()).status?.used?.pods === "2" && (await get()).status?.used?.services === "1", 5000, "used");
    const q = await get();
    expect(q.status.hard).toEqual(q.spec.hard);
    // The API server's own `kubernetes` service may or may not live in default; count what is there.
    expect(q.status.used).toMatchObject({ pods: "2", "requests.cpu": "750m", "limits.memory": "384Mi", "count/deployments.apps": "0" });
    expect(Number(q.status.used.configmaps)).toBeGreaterThanOrEqual(0);

    // Admission: a third pod fits, a pod past requests.cpu does not.
    expect(checkQuota([q], pod("c", { requests: { cpu: "1" }, limits: { memory: "1Mi" } }))).toBeUndefined();
    expect(checkQuota([q], pod("d", { requests: { cpu: "1500m" }, limits: { memory: "1Mi" } }))).toBe("exceeded quota: q, requested: requests.cpu=1500m, used: requests.cpu=750m, limited: requests.cpu=2");
    expect(checkQuota([q], pod("e"))).toBe("failed quota: q: must specify limits.memory for: c; requests.cpu for: c");
    const full = { ...q, status: { ...q.status, used: { ...q.status.used, pods: "3" } } };
    expect(checkQuota([full], pod("f", { requests: { cpu: "1m" }, limits: { memory: "1Mi" } }))).toBe("exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3");
    // An update is checked on what grows: a bigger claim, not the claim count.
    const pvc = (size: string) => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "c", namespace: NS }, spec: { resources: { requests: { storage: size } } } });
    expect(updateUsage(pvc("1Gi"), pvc("3Gi"))).toEqual({ "requests.storage": 2 * 1024 ** 3 });
    const sq = { metadata: { name: "s" }, spec: { hard: { "requests.storage": "2Gi", persistentvolumeclaims: "1" } }, status: { hard: { "requests.storage": "2Gi", persistentvolumeclaims: "1" }, used: { "requests.storage": "1Gi", persistentvolumeclaims: "1" } } };
    expect(checkQuota([sq], pvc("3Gi"), updateUsage(pvc("1Gi"), pvc("3Gi")))).toBe("exceeded quota: s, requested: requests.storage=2Gi, used: requests.storage=1Gi, limited: requests.storage=2Gi");
    expect(checkQuota([sq], pvc("1Gi"), updateUsage(pvc("1Gi"), pvc("1Gi")))).toBeUndefined();
    expect(usedAfter(q, pod("g", { requests: { cpu: "250m" }, limits: { memory: "128Mi" } }))).toMatchObject({ pods: "3", "requests.cpu": "1", "limits.memory": "512Mi" });

    // A finished pod stops counting.
    const a = await env.api.client.get<KubeObject>(PODS, "a", { namespace: NS });
    a.status = { phase: "Succeeded" };
    await env.api.client.updateStatus(PODS, a, { namespace: NS });
    await waitFor(async () => (await get()).status?.used?.pods === "1", 5000, "used after success");
    expect((await get()).status.used["requests.cpu"]).toBe("500m");
  });

  test("limit ranges: defaults and min/max messages", () => {
    const lr = { kind: "LimitRange", spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "100m" }, min: { cpu: "50m" }, max: { cpu: "1" } }] } };
    const p = applyLimitRangeDefaults([lr], pod("x"));
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "256Mi" } });
    expect(p.metadata!.annotations!["kubernetes.io/limit-ranger"]).toBe("LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c");
    expect(checkLimitRanges([lr], p)).toEqual([]);
    expect(checkLimitRanges([lr], pod("y", { requests: { cpu: "10m" }, limits: { cpu: "2" } }))).toEqual(["minimum cpu usage per Container is 50m, but request is 10m", "maximum cpu usage per Container is 1, but limit is 2"]);
  });
});
