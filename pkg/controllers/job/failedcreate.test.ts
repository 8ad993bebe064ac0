import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import { createInProcessClient } from "../../client/inprocess.ts";
import { createEventRecorder } from "../shared/events.ts";
import type { KubeObject } from "../../api/types.ts";
import { startJobController } from "./controller.ts";
import { JOBS } from "./sync.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
let refused = 0;
const NS = "default";
const MESSAGE = 'pods "x" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1';

beforeAll(async () => {
  env = await startControllerEnv();
  // The controller's client has every pod create refused, as an admission plugin would.
  const client = createInProcessClient(async (req) => {
    if (req.method === "POST" && new URL(req.url).pathname.endsWith("/pods")) {
      refused++;
      return new Response(JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: MESSAGE, reason: "Forbidden", code: 403 }), { status: 403, headers: { "content-type": "application/json" } });
    }
    return env.api.fetch(req);
  });
  const running = startJobController({ ...env.ctx, client, recorder: (c) => createEventRecorder({ client: env.api.client, component: c }) });
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

describe("job controller: refused creates", () => {
  test("a refused pod create becomes a FailedCreate event and is retried", async () => {
    await env.api.client.create(JOBS, { apiVersion: "batch/v1", kind: "Job", metadata: { name: "refused", namespace: NS }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "x" }] } } } }, { namespace: NS });
    await waitFor(async () => (await env.api.client.list<KubeObject>({ group: "", version: "v1", resource: "events" }, { namespace: NS })).items.some((e) => e.reason === "FailedCreate" && e.type === "Warning" && e.message === `Error creating: ${MESSAGE}`), 5000, "FailedCreate");
    await waitFor(() => refused >= 2, 5000, "a retry");
    expect(refused).toBeGreaterThanOrEqual(2);
  });
});
