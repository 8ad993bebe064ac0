import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

describe("shared storage across versions", () => {
  test("core/v1 and events.k8s.io/v1 Events are one object in two shapes", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/events", {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "e1" },
      involvedObject: { kind: "Pod", name: "p", namespace: "default", uid: "u1" },
      reason: "Started",
      message: "Started container",
      type: "Normal",
      source: { component: "kubelet" },
      count: 2,
    });
    expect(c.status).toBe(201);
    const e = await h.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events/e1");
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ apiVersion: "events.k8s.io/v1", kind: "Event", regarding: { kind: "Pod", name: "p" }, note: "Started container", deprecatedCount: 2, deprecatedSource: { component: "kubelet" } });
    expect(e.body.message).toBeUndefined();
    const sel = await h.call("GET", "/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dp");
    expect(sel.body.items.length).toBe(1);
    const core = await h.call("GET", "/api/v1/events?fieldSelector=involvedObject.uid%3Du1,involvedObject.kind%3DPod");
    expect(core.body.items.map((x: any) => x.message)).toEqual(["Started container"]);
    // Written through events.k8s.io, read through core.
    const n = await h.call("POST", "/apis/events.k8s.io/v1/namespaces/default/events", {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      metadata: { name: "e2" },
      eventTime: "2026-01-01T00:00:00.000000Z",
      reportingController: "kubun.io/ctl",
      reportingInstance: "x",
      action: "Scale",
      reason: "Scaled",
      regarding: { kind: "Deployment", name: "d", namespace: "default" },
      note: "scaled up",
      type: "Normal",
    });
    expect(n.status).toBe(201);
    expect(n.body.note).toBe("scaled up");
    const back = await h.call("GET", "/api/v1/namespaces/default/events/e2");
    expect(back.body).toMatchObject({ apiVersion: "v1", involvedObject: { kind: "Deployment" }, message: "scaled up", reportingComponent: "kubun.io/ctl" });
    const raw = JSON.parse((await h.backend.get("/registry/core/events/default/e2")).kv!.value);
    expect(raw.apiVersion).toBe("v1");
  });

  test("autoscaling v1 and v2 HPAs keep what the other cannot express", async () => {
    const v2 = await h.call("POST", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "h" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "100Mi" } } },
        ],
      },
    });
    expect(v2.status).toBe(201);
    const v1 = await h.call("GET", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h");
    expect(v1.body.apiVersion).toBe("autoscaling/v1");
    expect(v1.body.spec.targetCPUUtilizationPercentage).toBe(70);
    expect(JSON.parse(v1.body.metadata.annotations["autoscaling.alpha.kubernetes.io/metrics"])[0].resource.name).toBe("memory");
    const upd = await h.call("PUT", "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/h", { ...v1.body, spec: { ...v1.body.spec, maxReplicas: 9, targetCPUUtilizationPercentage: 50 } });
    expect(upd.status).toBe(200);
    const again = await h.call("GET", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/h");
    expect(again.body.spec.maxReplicas).toBe(9);
    expect(again.body.spec.metrics.map((m: any) => m.resource.name)).toEqual(["cpu", "memory"]);
    expect(again.body.spec.metrics[0].resource.target.averageUtilization).toBe(50);
    expect(again.body.metadata.annotations?.["autoscaling.alpha.kubernetes.io/metrics"]).toBeUndefined();
    const list = await h.call("GET", "/apis/autoscaling/v1/horizontalpodautoscalers");
    expect(list.body.items[0].spec.targetCPUUtilizationPercentage).toBe(50);
  });
});
