import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { KubeObject } from "../../api/types.ts";
import { startTestAPI, waitFor, type TestAPI } from "../../client/test-env.ts";
import { createEventsV1Recorder, EVENTS_V1 } from "./events-v1.ts";

let t: TestAPI;
beforeAll(async () => {
  t = await startTestAPI();
});
afterAll(async () => {
  await t?.close();
});

const pod = (name: string): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default", uid: `u-${name}` } });
const node: KubeObject = { apiVersion: "v1", kind: "Node", metadata: { name: "n1", uid: "node-uid" } };

async function eventsFor(name: string): Promise<KubeObject[]> {
  const l = await t.client.list(EVENTS_V1, { namespace: "default" });
  return l.items.filter((e) => e.regarding?.name === name);
}

describe("events.k8s.io/v1 recorder", () => {
  test("shape, then a series on repeats: count 2 at once, later counts on refresh", async () => {
    let now = new Date("2026-03-04T05:06:07.123Z");
    const r = createEventsV1Recorder({ client: t.client, reportingController: "kubun/scheduler", reportingInstance: "kubun-scheduler-host", now: () => now, refreshMs: 100, finishMs: 60_000 });
    try {
      r.eventf(pod("v1p"), node, "Warning", "FailedScheduling", "Scheduling", "0/%d nodes are available", 1);
      await r.flush();
      let [ev, ...rest] = await eventsFor("v1p");
      expect(rest).toEqual([]);
      expect(ev).toMatchObject({
        eventTime: "2026-03-04T05:06:07.123000Z",
        reportingController: "kubun/scheduler",
        reportingInstance: "kubun-scheduler-host",
        action: "Scheduling",
        reason: "FailedScheduling",
        regarding: { kind: "Pod", name: "v1p", namespace: "default", uid: "u-v1p", apiVersion: "v1" },
        related: { kind: "Node", name: "n1", uid: "node-uid", apiVersion: "v1" },
        note: "0/1 nodes are available",
        type: "Warning",
      });
      expect(ev!.series).toBeUndefined();
      expect(ev!.metadata!.name).toMatch(/^v1p\.[0-9a-f]+$/);

      now = new Date("2026-03-04T05:06:08Z");
      // A different note is still the same (isomorphic) event.
      r.eventf(pod("v1p"), node, "Warning", "FailedScheduling", "Scheduling", "0/2 nodes are available");
      await r.flush();
      [ev] = await eventsFor("v1p");
      expect(ev!.series).toEqual({ count: 2, lastObservedTime: "2026-03-04T05:06:08.000000Z" });

      now = new Date("2026-03-04T05:06:09Z");
      r.eventf(pod("v1p"), node, "Warning", "FailedScheduling", "Scheduling", "again");
      r.eventf(pod("v1p"), node, "Warning", "FailedScheduling", "Scheduling", "again");
      await r.flush();
      expect((await eventsFor("v1p"))[0]!.series.count).toBe(2); // not written yet
      await waitFor(async () => (await eventsFor("v1p"))[0]!.series.count === 4, 3000, "refresh writes the series");
      expect((await eventsFor("v1p")).length).toBe(1);

      // A different reason is a different event.
      r.eventf(pod("v1p"), undefined, "Normal", "Scheduled", "Binding", "assigned");
      await r.flush();
      expect((await eventsFor("v1p")).length).toBe(2);
    } finally {
      r.shutdown();
      await r.flush();
    }
  });

  test("a finished series writes its final count and is forgotten", async () => {
    let now = new Date("2026-03-04T06:00:00Z");
    const r = createEventsV1Recorder({ client: t.client, reportingController: "c", reportingInstance: "c-h", now: () => now, refreshMs: 3_600_000, finishMs: 100 });
    try {
      for (let i = 0; i < 5; i++) r.eventf(pod("fin"), undefined, "Normal", "R", "A", "n");
      await r.flush();
      expect((await eventsFor("fin"))[0]!.series.count).toBe(2);
      now = new Date(now.getTime() + 10 * 60_000); // quiet for ten minutes
      await waitFor(async () => (await eventsFor("fin"))[0]!.series.count === 5, 3000, "final count");
      // Forgotten: the next occurrence is a brand-new event.
      r.eventf(pod("fin"), undefined, "Normal", "R", "A", "n");
      await r.flush();
      expect((await eventsFor("fin")).length).toBe(2);
    } finally {
      r.shutdown();
      await r.flush();
    }
  });
});
