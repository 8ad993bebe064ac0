import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startControllerEnv, setPodPhase, listPods, type TestControllerEnv } from "../history/testutil.ts";
import { waitFor } from "../../client/test-env.ts";
import type { KubeObject } from "../../api/types.ts";
import { startJobController } from "./controller.ts";
import { JOBS } from "./sync.ts";
import { JOB_TRACKING_FINALIZER } from "./pods.ts";
import { formatIndexes, parseIndexes } from "./indexes.ts";

let env: TestControllerEnv;
let stop: () => Promise<void>;
const NS = "default";

beforeAll(async () => {
  env = await startControllerEnv();
  const running = startJobController(env.ctx, { backoffBaseMs: 50, backoffMaxMs: 200 });
  env.ctx.informers.start();
  stop = () => running.stop();
});
afterAll(async () => {
  await stop?.();
  await env?.close();
});

const job = (name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name, namespace: NS },
  spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } }, ...spec },
});
const getJob = (name: string) => env.api.client.get<KubeObject>(JOBS, name, { namespace: NS });
const activePods = async (name: string) => (await listPods(env.api, NS, `batch.kubernetes.io/job-name=${name}`)).filter((p) => !p.status?.phase || p.status.phase === "Pending" || p.status.phase === "Running");
const cond = (j: KubeObject, t: string) => (j.status?.conditions ?? []).find((c: any) => c.type === t);

describe("job controller", () => {
  test("interval formatting of completedIndexes", () => {
    expect(formatIndexes(new Set([7, 1, 3, 4, 5]))).toBe("1,3-5,7");
    expect([...parseIndexes("1,3-5,7", 6)].sort()).toEqual([1, 3, 4, 5]);
  });

  test("completions 5 / parallelism 2 runs at most 2 pods and completes", async () => {
    await env.api.client.create(JOBS, job("five", { completions: 5, parallelism: 2 }), { namespace: NS });
    let maxActive = 0;
    let done = 0;
    for (let round = 0; round < 10 && done < 5; round++) {
      // Parallelism 2 while at least 2 completions remain.
      const want = Math.min(2, 5 - done);
      let act: KubeObject[] = [];
      await waitFor(async () => (act = await activePods("five")).length >= want, 5000, `${want} active pods`);
      await Bun.sleep(30);
      act = await activePods("five");
      maxActive = Math.max(maxActive, act.length);
      for (const p of act) {
        expect(p.metadata!.finalizers).toContain(JOB_TRACKING_FINALIZER);
        await setPodPhase(env.api, p, "Succeeded", false);
        done++;
      }
    }
    await waitFor(async () => !!cond(await getJob("five"), "Complete"), 5000, "Complete");
    const j = await getJob("five");
    expect(maxActive).toBe(2);
    expect(j.status.succeeded).toBe(5);
    expect(j.status.failed).toBeUndefined();
    expect(j.status.completionTime).toBeString();
    expect(j.status.startTime).toBeString();
    expect(cond(j, "SuccessCriteriaMet")).toMatchObject({ status: "True", reason: "CompletionsReached" });
    expect(cond(j, "Complete")).toMatchObject({ status: "True", reason: "CompletionsReached" });
    // Finalizers are gone from every finished pod.
    for (const p of await listPods(env.api, NS, "batch.kubernetes.io/job-name=five")) expect(p.metadata!.finalizers ?? []).not.toContain(JOB_TRACKING_FINALIZER);
    await waitFor(async () => {
      const ev = (await env.api.client.list<KubeObject>({ group: "", version: "v1", resource: "events" }, { namespace: NS })).items;
      return ev.some((e) => e.reason === "Completed" && e.involvedObject.name === "five") && ev.some((e) => e.reason === "SuccessfulCreate" && e.involvedObject.name === "five");
    }, 5000, "events");
  });

  test("a failing pod hits backoffLimit", async () => {
    await env.api.client.create(JOBS, job("fails", { backoffLimit: 1 }), { namespace: NS });
    for (let i = 0; i < 2; i++) {
      let act: KubeObject[] = [];
      await waitFor(async () => (act = await activePods("fails")).length === 1, 5000, `pod ${i}`);
      await setPodPhase(env.api, act[0]!, "Failed", false, { containerStatuses: [{ name: "main", state: { terminated: { exitCode: 1 } } }] });
    }
    await waitFor(async () => !!cond(await getJob("fails"), "Failed"), 5000, "Failed");
    const j = await getJob("fails");
    expect(j.status.failed).toBe(2);
    expect(cond(j, "Failed")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" });
    expect(cond(j, "FailureTarget")).toMatchObject({ status: "True", reason: "BackoffLimitExceeded" });
    expect(await activePods("fails")).toHaveLength(0);
  });

  test("podFailurePolicy FailJob on an exit code", async () => {
    await env.api.client.create(JOBS, job("policy", { backoffLimit: 5, podFailurePolicy: { rules: [{ action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } }] } }), { namespace: NS });
    let act: KubeObject[] = [];
    await waitFor(async () => (act = await activePods("policy")).length === 1, 5000, "pod");
    await setPodPhase(env.api, act[0]!, "Failed", false, { containerStatuses: [{ name: "main", state: { terminated: { exitCode: 42 } } }] });
    await waitFor(async () => !!cond(await getJob("policy"), "Failed"), 5000, "Failed");
    const c = cond(await getJob("policy"), "Failed");
    expect(c.reason).toBe("PodFailurePolicy");
    expect(c.message).toBe(`Container main for pod ${NS}/${act[0]!.metadata!.name} failed with exit code 42 matching FailJob rule at index 0`);
  });

  test("Indexed job: index annotation, label, hostname and completedIndexes", async () => {
    await env.api.client.create(JOBS, job("idx", { completions: 3, parallelism: 3, completionMode: "Indexed" }), { namespace: NS });
    let act: KubeObject[] = [];
    await waitFor(async () => (act = await activePods("idx")).length === 3, 5000, "3 pods");
    const idx = act.map((p) => p.metadata!.annotations!["batch.kubernetes.io/job-completion-index"]).sort();
    expect(idx).toEqual(["0", "1", "2"]);
    for (const p of act) {
      const i = p.metadata!.labels!["batch.kubernetes.io/job-completion-index"];
      expect(p.spec.hostname).toBe(`idx-${i}`);
      expect(p.metadata!.name!.startsWith(`idx-${i}-`)).toBe(true);
      expect(p.spec.containers[0].env).toContainEqual({ name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } });
    }
    const p1 = act.find((p) => p.metadata!.annotations!["batch.kubernetes.io/job-completion-index"] === "1")!;
    await setPodPhase(env.api, p1, "Succeeded", false);
    await waitFor(async () => (await getJob("idx")).status?.completedIndexes === "1", 5000, "index 1 done");
    for (const p of act) if (p !== p1) await setPodPhase(env.api, p, "Succeeded", false);
    await waitFor(async () => !!cond(await getJob("idx"), "Complete"), 5000, "Complete");
    const j = await getJob("idx");
    expect(j.status.completedIndexes).toBe("0-2");
    expect(j.status.succeeded).toBe(3);
  });

  test("suspend deletes active pods and sets Suspended", async () => {
    await env.api.client.create(JOBS, job("susp", { parallelism: 2, completions: 4 }), { namespace: NS });
    await waitFor(async () => (await activePods("susp")).length === 2, 5000, "2 pods");
    await env.api.client.patch(JOBS, "susp", "merge", { spec: { suspend: true } }, { namespace: NS });
    await waitFor(async () => cond(await getJob("susp"), "Suspended")?.status === "True", 5000, "Suspended");
    await waitFor(async () => (await activePods("susp")).filter((p) => !p.metadata!.deletionTimestamp).length === 0, 5000, "pods deleted");
    expect(cond(await getJob("susp"), "Suspended").reason).toBe("JobSuspended");
  });
});

describe("job controller: deadlines and orphans", () => {
  test("activeDeadlineSeconds fails the job with DeadlineExceeded", async () => {
    await env.api.client.create(JOBS, job("slow", { activeDeadlineSeconds: 1 }), { namespace: NS });
    await waitFor(async () => (await activePods("slow")).length === 1, 5000, "pod");
    // The controller requeues itself at the deadline.
    await waitFor(async () => !!cond(await getJob("slow"), "Failed"), 5000, "Failed");
    const j = await getJob("slow");
    expect(cond(j, "Failed")).toMatchObject({ reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" });
    expect(await activePods("slow").then((ps) => ps.filter((p) => !p.metadata!.deletionTimestamp))).toHaveLength(0);
  });

  test("pods of a deleted job lose the tracking finalizer", async () => {
    await env.api.client.create(JOBS, job("gone", {}), { namespace: NS });
    let act: KubeObject[] = [];
    await waitFor(async () => (act = await activePods("gone")).length === 1, 5000, "pod");
    // No garbage collector runs here: the job goes, its pod stays.
    await env.api.client.delete(JOBS, "gone", { namespace: NS, propagationPolicy: "Background" });
    await waitFor(async () => !(await env.api.client.get(JOBS, "gone", { namespace: NS }).catch(() => undefined)), 5000, "job gone");
    await waitFor(async () => {
      const p = await env.api.client.get<KubeObject>({ group: "", version: "v1", resource: "pods" }, act[0]!.metadata!.name!, { namespace: NS }).catch(() => undefined);
      return !!p && !(p.metadata!.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
    }, 5000, "finalizer removed");
  });
});

describe("job controller: successPolicy", () => {
  test("an Indexed job succeeds once the leader index succeeds; the rest are terminated", async () => {
    await env.api.client.create(JOBS, job("leader", { completions: 3, parallelism: 3, completionMode: "Indexed", successPolicy: { rules: [{ succeededIndexes: "0" }] } }), { namespace: NS });
    let act: KubeObject[] = [];
    await waitFor(async () => (act = await activePods("leader")).length === 3, 5000, "3 pods");
    const p0 = act.find((p) => p.metadata!.annotations!["batch.kubernetes.io/job-completion-index"] === "0")!;
    await setPodPhase(env.api, p0, "Succeeded", false);
    await waitFor(async () => !!cond(await getJob("leader"), "Complete"), 5000, "Complete");
    const j = await getJob("leader");
    expect(cond(j, "SuccessCriteriaMet")).toMatchObject({ status: "True", reason: "SuccessPolicy", message: "Matched rules at index 0" });
    expect(cond(j, "Complete")).toMatchObject({ status: "True", reason: "SuccessPolicy" });
    expect(j.status.completedIndexes).toBe("0");
    expect(await activePods("leader")).toHaveLength(0);
  });
});

describe("job controller: backoffLimitPerIndex", () => {
  test("an index past its limit fails alone; the job fails with FailedIndexes at the end", async () => {
    await env.api.client.create(JOBS, job("per", { completions: 2, parallelism: 2, completionMode: "Indexed", backoffLimitPerIndex: 1 }), { namespace: NS });
    const ofIndex = async (i: string) => (await activePods("per")).filter((p) => p.metadata!.annotations!["batch.kubernetes.io/job-completion-index"] === i && !p.metadata!.deletionTimestamp);
    let one: KubeObject[] = [];
    await waitFor(async () => (one = await ofIndex("1")).length === 1, 5000, "index 1 pod");
    expect(one[0]!.metadata!.annotations!["batch.kubernetes.io/job-index-failure-count"]).toBe("0");
    await setPodPhase(env.api, one[0]!, "Failed", false);
    // One retry allowed: the replacement carries failure count 1.
    await waitFor(async () => (one = await ofIndex("1")).length === 1 && one[0]!.metadata!.annotations!["batch.kubernetes.io/job-index-failure-count"] === "1", 5000, "index 1 retry");
    await setPodPhase(env.api, one[0]!, "Failed", false);
    await waitFor(async () => (await getJob("per")).status?.failedIndexes === "1", 5000, "failedIndexes");
    await Bun.sleep(100);
    expect(await ofIndex("1")).toHaveLength(0);
    expect(cond(await getJob("per"), "Failed")).toBeUndefined();
    const zero = await ofIndex("0");
    await setPodPhase(env.api, zero[0]!, "Succeeded", false);
    await waitFor(async () => !!cond(await getJob("per"), "Failed"), 5000, "Failed");
    const j = await getJob("per");
    expect(cond(j, "Failed")).toMatchObject({ reason: "FailedIndexes", message: "Job has failed indexes" });
    expect(j.status).toMatchObject({ completedIndexes: "0", failedIndexes: "1", succeeded: 1, failed: 2 });
  });
});

describe("job controller: managedBy", () => {
  test("a Job managed by another controller is left alone", async () => {
    await env.api.client.create(JOBS, job("external", { managedBy: "example.com/queue" }), { namespace: NS });
    await env.api.client.create(JOBS, job("internal", {}), { namespace: NS });
    // The ordinary job gets its pod; by then the external one would have had its own.
    await waitFor(async () => (await activePods("internal")).length === 1, 5000, "internal pod");
    await Bun.sleep(50);
    expect(await activePods("external")).toHaveLength(0);
    expect((await getJob("external")).status?.startTime).toBeUndefined();
  });
});

describe("job controller: podReplacementPolicy", () => {
  test("Failed: no replacement while the old pod is still terminating", async () => {
    await env.api.client.create(JOBS, job("repl", { podReplacementPolicy: "Failed", backoffLimit: 3 }), { namespace: NS });
    let act: KubeObject[] = [];
    await waitFor(async () => (act = await activePods("repl")).length === 1, 5000, "pod");
    const first = act[0]!;
    await env.api.client.delete({ group: "", version: "v1", resource: "pods" }, first.metadata!.name!, { namespace: NS });
    await waitFor(async () => (await getJob("repl")).status?.terminating === 1, 5000, "terminating counted");
    await Bun.sleep(100);
    expect((await activePods("repl")).filter((p) => !p.metadata!.deletionTimestamp)).toHaveLength(0);
    // The kubelet reports the pod Failed: now it is counted and replaced.
    await setPodPhase(env.api, first, "Failed", false);
    await waitFor(async () => (await activePods("repl")).filter((p) => !p.metadata!.deletionTimestamp).length === 1, 5000, "replacement");
    await waitFor(async () => (await getJob("repl")).status?.failed === 1, 5000, "failed counted");
  });
});
