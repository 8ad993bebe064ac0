import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../api/types.ts";
import { startTestAPI, type TestAPI } from "../../client/test-env.ts";
import { CORE_EVENTS, createEventRecorder, sprintf } from "./events.ts";

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
});
afterAll(async () => {
  await t?.close();
});

const pod = (name: string, ns = "default"): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, uid: `uid-${name}`, resourceVersion: "7" } });

async function eventsFor(name: string, ns = "default"): Promise<KubeObject[]> {
  const l = await t.client.list(CORE_EVENTS, { namespace: ns, fieldSelector: `involvedObject.name=${name}` });
  return l.items;
}

describe("core/v1 event recorder", () => {
  test("a new event has upstream's shape and name", async () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    const r = createEventRecorder({ client: t.client, component: "test-controller", host: "node-1", now: () => at });
    r.eventf(pod("shape"), "Normal", "Scheduled", "Successfully assigned %s/%s to %s", "default", "shape", "node-1");
    await r.flush();
    const [ev, ...rest] = await eventsFor("shape");
    expect(rest).toEqual([]);
    expect(ev!.metadata!.name).toMatch(/^shape\.[0-9a-f]+$/);
    const hex = ev!.metadata!.name!.split(".")[1]!;
    // The suffix is UnixNano in hex.
    expect(BigInt("0x" + hex) / 1_000_000n).toBe(BigInt(at.getTime()));
    expect(ev).toMatchObject({
      involvedObject: { apiVersion: "v1", kind: "Pod", namespace: "default", name: "shape", uid: "uid-shape", resourceVersion: "7" },
      reason: "Scheduled",
      message: "Successfully assigned default/shape to node-1",
      source: { component: "test-controller", host: "node-1" },
      firstTimestamp: "2026-01-02T03:04:05Z",
      lastTimestamp: "2026-01-02T03:04:05Z",
      count: 1,
      type: "Normal",
      reportingComponent: "test-controller",
      reportingInstance: "node-1",
    });
  });

  test("repeats of the same event bump count and lastTimestamp on one object", async () => {
    let now = new Date("2026-01-02T10:00:00Z");
    const r = createEventRecorder({ client: t.client, component: "c", now: () => now });
    for (let i = 0; i < 3; i++) {
      r.event(pod("rep"), "Warning", "BackOff", "Back-off restarting failed container");
      now = new Date(now.getTime() + 10_000);
    }
    r.event(pod("rep"), "Warning", "BackOff", "a different message");
    await r.flush();
    const evs = await eventsFor("rep");
    expect(evs.length).toBe(2);
    const same = evs.find((e) => e.message === "Back-off restarting failed container")!;
    expect(same.count).toBe(3);
    expect(same.firstTimestamp).toBe("2026-01-02T10:00:00Z");
    expect(same.lastTimestamp).toBe("2026-01-02T10:00:20Z");
    expect(evs.find((e) => e.message === "a different message")!.count).toBe(1);
  });

  test("more than 10 distinct messages for one object and reason are combined", async () => {
    const now = new Date("2026-01-02T11:00:00Z");
    const r = createEventRecorder({ client: t.client, component: "c", now: () => now });
    for (let i = 0; i < 14; i++) r.event(pod("agg"), "Warning", "FailedCreate", `error ${i}`);
    await r.flush();
    const evs = await eventsFor("agg");
    // Nine individual events, then one combined event counted five times.
    expect(evs.length).toBe(10);
    const combined = evs.filter((e) => e.message.startsWith("(combined from similar events): "));
    expect(combined.length).toBe(1);
    expect(combined[0]!.count).toBe(5);
    expect(combined[0]!.message).toBe("(combined from similar events): error 13");
  });

  test("cluster-scoped objects' events go to default; the spam filter caps a burst", async () => {
    const r = createEventRecorder({ client: t.client, component: "c", spamBurst: 3 });
    const node: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "spam-node", uid: "n1" } };
    for (let i = 0; i < 6; i++) r.event(node, "Normal", "Reason" + i, "m");
    await r.flush();
    const evs = await eventsFor("spam-node");
    expect(evs.length).toBe(3);
    expect(evs[0]!.involvedObject.namespace).toBeUndefined();
  });

  test("repeats dropped by the spam filter still count, like upstream", async () => {
    let now = new Date("2026-01-02T13:00:00Z");
    const r = createEventRecorder({ client: t.client, component: "c", now: () => now, spamBurst: 2, spamRefillMs: 1000 });
    for (let i = 0; i < 4; i++) r.event(pod("spam"), "Warning", "Unhealthy", "probe failed");
    await r.flush();
    let [ev] = await eventsFor("spam");
    expect(ev!.count).toBe(2);
    now = new Date(now.getTime() + 1000); // one token back
    r.event(pod("spam"), "Warning", "Unhealthy", "probe failed");
    await r.flush();
    [ev] = await eventsFor("spam");
    expect(ev!.count).toBe(5);
    expect(ev!.lastTimestamp).toBe("2026-01-02T13:00:01Z");
  });

  test("a repeat whose Event vanished is created again", async () => {
    let now = new Date("2026-01-02T12:00:00Z");
    const r = createEventRecorder({ client: t.client, component: "c", now: () => now });
    r.event(pod("gone"), "Normal", "Pulled", "image pulled");
    await r.flush();
    const [first] = await eventsFor("gone");
    await t.client.delete(CORE_EVENTS, first!.metadata!.name!, { namespace: "default" });
    now = new Date(now.getTime() + 1000);
    r.event(pod("gone"), "Normal", "Pulled", "image pulled");
    await r.flush();
    const evs = await eventsFor("gone");
    expect(evs.length).toBe(1);
    expect(evs[0]!.count).toBe(2);
  });

  test("sprintf formats Go-style verbs", () => {
    expect(sprintf("%s has %d of %v (%q) 100%%", "rs", 3, { a: 1 }, "x")).toBe('rs has 3 of {"a":1} ("x") 100%');
  });
});
