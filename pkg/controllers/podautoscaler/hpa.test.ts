import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, setPodPhase, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { PODS } from "../history/podutil.ts";
import { HPAS, startHPAController } from "./controller.ts";
import { resourceReplicas } from "./replicas.ts";
import { limitByPolicies, stabilize } from "./behavior.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";
const DEPLOYMENTS = { group: "apps", version: "v1", resource: "deployments" };
let cpuPerPod = "200m";
const selectorsSeen: string[] = [];

beforeAll(async () => {
  env = await startControllerEnv({ hpaSyncPeriodMs: 50 });
  const running = startHPAController(env.ctx, {
    metrics: async (ns, sel) => {
      selectorsSeen.push(sel);
      const pods = (await env.api.client.list<KubeObject>(PODS, { namespace: ns, labelSelector: sel })).items;
      return pods.map((p) => ({ apiVersion: "metrics.k8s.io/v1beta1", kind: "PodMetrics", metadata: { name: p.metadata!.name, namespace: ns }, containers: [{ name: "c", usage: { cpu: cpuPerPod, memory: "10Mi" } }] }));
    },
  });
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const podOf = (i: number, cpu = "100m") => ({ name: `p${i}`, metadata: { name: `p${i}` }, spec: { containers: [{ name: "c", resources: { requests: { cpu } } }] }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } });

describe("horizontal pod autoscaler", () => {
  test("replica calculation: tolerance, scale up/down, missing metrics", () => {
    const pods = [podOf(1), podOf(2)];
    const m = (a: number, b?: number) => new Map(b === undefined ? [["p1", a]] : [["p1", a], ["p2", b]]);
    expect(resourceReplicas(2, { resource: "cpu", averageUtilization: 50 }, pods, m(0.054, 0.054)).replicas).toBe(2); // 108%/100% within 0.1
    expect(resourceReplicas(2, { resource: "cpu", averageUtilization: 50 }, pods, m(0.1, 0.1))).toEqual({ replicas: 4, utilization: 100, averageValue: 0.1 });
    expect(resourceReplicas(4, { resource: "cpu", averageUtilization: 50 }, pods, m(0.01, 0.01)).replicas).toBe(1);
    // A pod without metrics counts as idle when scaling up: 150% over one pod → 200%·… over two.
    expect(resourceReplicas(2, { resource: "cpu", averageUtilization: 50 }, pods, m(0.15)).replicas).toBe(3);
    expect(() => resourceReplicas(2, { resource: "cpu", averageUtilization: 50 }, [{ ...podOf(1), spec: { containers: [{ name: "c" }] } }], m(0.1))).toThrow("missing request for cpu in container c of Pod p1");
    expect(stabilize(5, 2, [{ at: 1000, replicas: 4 }], 2000, undefined)).toBe(4);
    expect(limitByPolicies(2, 20, [], 0, undefined)).toBe(6);
  });

  test("scales a Deployment through its scale subresource on injected metrics", async () => {
    await env.api.client.create(DEPLOYMENTS, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x" }] } } } }, { namespace: NS });
    for (const n of ["w1", "w2"]) {
      const p = await env.api.client.create<KubeObject>(PODS, { apiVersion: "v1", kind: "Pod", metadata: { name: n, namespace: NS, labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x", resources: { requests: { cpu: "100m" } } }] } }, { namespace: NS });
      await setPodPhase(env.api, p, "Running", true);
    }
    await env.api.client.create(HPAS, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web", namespace: NS },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }], behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
    }, { namespace: NS });
    const replicas = async () => (await env.api.client.get<KubeObject>(DEPLOYMENTS, "web", { namespace: NS })).spec.replicas;
    await waitFor(async () => (await replicas()) === 5, 5000, "scaled up to max");
    expect(selectorsSeen).toContain("app=web");
    await waitFor(async () => (await env.api.client.get<KubeObject>(HPAS, "web", { namespace: NS })).status?.desiredReplicas === 5, 5000, "hpa status");
    const h = await env.api.client.get<KubeObject>(HPAS, "web", { namespace: NS });
    expect(h.status.currentMetrics).toEqual([{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 200, averageValue: "200m" } } }]);
    expect(h.status.lastScaleTime).toBeString();
    const cs = Object.fromEntries(h.status.conditions.map((c: any) => [c.type, c]));
    expect(cs.ScalingActive).toMatchObject({ status: "True", reason: "ValidMetricFound" });
    expect(cs.ScalingLimited).toMatchObject({ status: "True", reason: "TooManyReplicas" });
    await waitFor(async () => (await env.api.client.list<KubeObject>({ group: "", version: "v1", resource: "events" }, { namespace: NS })).items.some((e) => e.reason === "SuccessfulRescale" && e.message === "New size: 5; reason: cpu resource utilization (percentage of request) above target"), 5000, "rescale event");

    cpuPerPod = "10m";
    await waitFor(async () => (await replicas()) === 1, 5000, "scaled down to min");
  });
});

describe("horizontal pod autoscaler: metric sources", () => {
  test("ContainerResource counts one container's request; unsupported sources never scale", async () => {
    const pod = { metadata: { name: "p1" }, spec: { containers: [{ name: "app", resources: { requests: { cpu: "100m" } } }, { name: "sidecar", resources: { requests: { cpu: "900m" } } }] }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] } };
    expect(resourceReplicas(1, { resource: "cpu", container: "app", averageUtilization: 50 }, [pod], new Map([["p1", 0.1]])).utilization).toBe(100);

    await env.api.client.create(DEPLOYMENTS, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "custom", namespace: NS }, spec: { replicas: 3, selector: { matchLabels: { app: "custom" } }, template: { metadata: { labels: { app: "custom" } }, spec: { containers: [{ name: "c", image: "x" }] } } } }, { namespace: NS });
    await env.api.client.create(HPAS, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "custom", namespace: NS },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "custom" }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: "Pods", pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "10" } } }] },
    }, { namespace: NS });
    await waitFor(async () => (await env.api.client.get<KubeObject>(HPAS, "custom", { namespace: NS })).status?.conditions?.some((c: any) => c.type === "ScalingActive" && c.reason === "InvalidMetricSourceType") === true, 5000, "InvalidMetricSourceType");
    expect((await env.api.client.get<KubeObject>(DEPLOYMENTS, "custom", { namespace: NS })).spec.replicas).toBe(3);
  });
});
