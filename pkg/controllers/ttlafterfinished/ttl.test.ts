import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { startTTLAfterFinishedController } from "./controller.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";
const JOBS = { group: "batch", version: "v1", resource: "jobs" };

beforeAll(async () => {
  env = await startControllerEnv();
  env.clock.now = new Date();
  const running = startTTLAfterFinishedController(env.ctx);
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const exists = async (name: string) => (await env.api.client.list<KubeObject>(JOBS, { namespace: NS })).items.some((j) => j.metadata!.name === name && !j.metadata!.deletionTimestamp);

describe("ttl-after-finished controller", () => {
  test("a finished job is deleted only once its TTL passed", async () => {
    for (const [name, ttl] of [["keep", undefined], ["short", 30]] as const) {
      const j = await env.api.client.create<KubeObject>(JOBS, { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: NS }, spec: { ttlSecondsAfterFinished: ttl, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "x" }] } } } }, { namespace: NS });
      const t = env.clock.now!.toISOString().replace(/\.\d{3}Z$/, "Z");
      j.status = { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: "Complete", status: "True", lastTransitionTime: t }] };
      await env.api.client.updateStatus(JOBS, j, { namespace: NS });
    }
    await Bun.sleep(80);
    expect(await exists("short")).toBe(true);
    env.clock.now = new Date(env.clock.now!.getTime() + 31_000);
    // Any event re-enqueues; touch the job so the controller looks again under the new clock.
    await env.api.client.patch(JOBS, "short", "merge", { metadata: { labels: { touched: "1" } } }, { namespace: NS });
    await waitFor(async () => !(await exists("short")), 5000, "short deleted");
    expect(await exists("keep")).toBe(true);
  });
});
