import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { startCronJobController } from "./controller.ts";
import { CRONJOBS, SCHEDULED_TIMESTAMP } from "./sync.ts";
import { mostRecentScheduleTime, parseSchedule } from "./schedule.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";
const JOBS = { group: "batch", version: "v1", resource: "jobs" };
const EVENTS = { group: "", version: "v1", resource: "events" };

beforeAll(async () => {
  env = await startControllerEnv();
  // Time stands still until the test moves it.
  env.clock.now = new Date();
  const running = startCronJobController(env.ctx, { pollMs: 20 });
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const jobNames = async () => (await env.api.client.list<KubeObject>(JOBS, { namespace: NS })).items.map((j) => j.metadata!.name!).sort();
const getCJ = () => env.api.client.get<KubeObject>(CRONJOBS, "tick", { namespace: NS });
const finish = async (name: string, type: "Complete" | "Failed", at: Date) => {
  const j = await env.api.client.get<KubeObject>(JOBS, name, { namespace: NS });
  const t = at.toISOString().replace(/\.\d{3}Z$/, "Z");
  j.status = { startTime: t, ...(type === "Complete" ? { completionTime: t, succeeded: 1 } : { failed: 1 }), conditions: [{ type, status: "True", lastTransitionTime: t, lastProbeTime: t }] };
  await env.api.client.updateStatus(JOBS, j, { namespace: NS });
};

describe("cronjob controller", () => {
  test("schedules: macros, time zones, missed runs", () => {
    const s = parseSchedule("@hourly");
    const r = mostRecentScheduleTime(s, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T02:30:00Z"));
    expect(r.time?.toISOString()).toBe("2026-01-01T02:00:00.000Z");
    expect(r.missed).toBe(2);
    expect(r.next?.toISOString()).toBe("2026-01-01T03:00:00.000Z");
    const tz = parseSchedule("0 9 * * *", "Asia/Tokyo");
    expect(mostRecentScheduleTime(tz, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-02T00:00:00Z")).time?.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    expect(() => parseSchedule("* * * * * *")).toThrow();
    // startingDeadlineSeconds bounds how far back to look.
    expect(mostRecentScheduleTime(s, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T02:30:00Z"), 60).time).toBeUndefined();
  });

  test("concurrencyPolicy Forbid waits for the running job, then starts the missed one", async () => {
    const start = Math.ceil(Date.now() / 60000) * 60000 + 60000;
    await env.api.client.create(CRONJOBS, {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick", namespace: NS },
      spec: { schedule: "* * * * *", concurrencyPolicy: "Forbid", jobTemplate: { metadata: { labels: { cj: "tick" } }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } } },
    }, { namespace: NS });
    await Bun.sleep(60);
    expect(await jobNames()).toEqual([]);

    env.clock.now = new Date(start + 5_000);
    const first = `tick-${start / 60000}`;
    await waitFor(async () => (await jobNames()).includes(first), 5000, "first job");
    const j1 = await env.api.client.get<KubeObject>(JOBS, first, { namespace: NS });
    expect(j1.metadata!.annotations![SCHEDULED_TIMESTAMP]).toBe(new Date(start).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(j1.metadata!.labels).toEqual({ cj: "tick" });
    expect(j1.metadata!.ownerReferences![0]).toMatchObject({ kind: "CronJob", name: "tick", controller: true });
    await waitFor(async () => (await getCJ()).status?.active?.length === 1, 5000, "active");
    expect((await getCJ()).status.lastScheduleTime).toBe(new Date(start).toISOString().replace(/\.\d{3}Z$/, "Z"));

    // Next minute: the first job still runs → nothing new, a JobAlreadyActive event.
    env.clock.now = new Date(start + 65_000);
    await waitFor(async () => (await env.api.client.list<KubeObject>(EVENTS, { namespace: NS })).items.some((e) => e.reason === "JobAlreadyActive"), 5000, "JobAlreadyActive");
    expect(await jobNames()).toEqual([first]);

    // The first job finishes → the missed run starts.
    await finish(first, "Complete", new Date(start + 66_000));
    const second = `tick-${start / 60000 + 1}`;
    await waitFor(async () => (await jobNames()).includes(second), 5000, "second job");
    await waitFor(async () => {
      const s = (await getCJ()).status;
      return s?.active?.length === 1 && s.active[0].name === second && !!s.lastSuccessfulTime;
    }, 5000, "status after second");
    const s = (await getCJ()).status;
    expect(s.lastSuccessfulTime).toBe(new Date(start + 66_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
    expect(s.lastScheduleTime).toBe(new Date(start + 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
  });

  test("failed history limit prunes old failed jobs", async () => {
    // Two more runs that fail; failedJobsHistoryLimit 1 keeps the newest failed one.
    const base = Date.parse((await getCJ()).status.lastScheduleTime);
    const second = `tick-${base / 60000}`;
    await finish(second, "Failed", new Date(base + 1000));
    env.clock.now = new Date(base + 65_000);
    const third = `tick-${base / 60000 + 1}`;
    await waitFor(async () => (await jobNames()).includes(third), 5000, "third job");
    await finish(third, "Failed", new Date(base + 66_000));
    await waitFor(async () => !(await jobNames()).includes(second), 5000, "second pruned");
    expect(await jobNames()).toContain(third);
  });
});

describe("cronjob Replace and suspend", () => {
  test("Replace deletes the running job for the new one; suspend stops scheduling", async () => {
    const base = Math.ceil(env.clock.now!.getTime() / 60000) * 60000 + 120_000;
    await env.api.client.create(CRONJOBS, {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "swap", namespace: NS },
      spec: { schedule: "*/2 * * * *", concurrencyPolicy: "Replace", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } } } },
    }, { namespace: NS });
    const swapJobs = async () => (await env.api.client.list<KubeObject>(JOBS, { namespace: NS })).items.filter((j) => j.metadata!.ownerReferences?.[0]?.name === "swap" && !j.metadata!.deletionTimestamp).map((j) => j.metadata!.name!);
    // The first schedule time at or after `base` that matches */2.
    const first = new Date(Math.ceil(base / 120_000) * 120_000);
    env.clock.now = new Date(first.getTime() + 1000);
    await waitFor(async () => (await swapJobs()).includes(`swap-${first.getTime() / 60000}`), 5000, "first swap job");
    env.clock.now = new Date(first.getTime() + 121_000);
    const second = `swap-${first.getTime() / 60000 + 2}`;
    await waitFor(async () => {
      const js = await swapJobs();
      return js.length === 1 && js[0] === second;
    }, 5000, "replaced");
    await env.api.client.patch(CRONJOBS, "swap", "merge", { spec: { suspend: true } }, { namespace: NS });
    env.clock.now = new Date(first.getTime() + 241_000);
    await Bun.sleep(150);
    expect(await swapJobs()).toEqual([second]);
  });
});
