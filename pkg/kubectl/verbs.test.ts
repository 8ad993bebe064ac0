import { expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StatusError } from "../api/errors.ts";
import { parseCpSpec } from "./cmd-cp.ts";
import { parsePortSpecs } from "./cmd-portforward.ts";
import { cpuCell, memCell, quantity } from "./cmd-top.ts";
import { conditionMet, parseFor } from "./cmd-wait.ts";
import { resolveKubeconfigPath } from "./conn.ts";
import { formatError } from "./errors.ts";
import { parseManifests } from "./manifests.ts";
import { rolloutStatus } from "./rollout-status.ts";

test("kubeconfig: flag, then $KUBECONFIG, then the admin file when readable, then ~/.kube/config", () => {
  const none = () => false;
  expect(resolveKubeconfigPath("/x", { KUBECONFIG: "/y" }, none)).toBe("/x");
  expect(resolveKubeconfigPath(undefined, { KUBECONFIG: "/a:/b" }, (p) => p === "/b")).toBe("/b");
  expect(resolveKubeconfigPath(undefined, { HOME: "/home/u" }, (p) => p === "/etc/kubun/kubun.yaml")).toBe("/etc/kubun/kubun.yaml");
  expect(resolveKubeconfigPath(undefined, { HOME: "/home/u" }, none)).toBe("/home/u/.kube/config");
});

test("errors read like kubectl's", () => {
  const st = (o: object) => new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "", code: 0, reason: "", ...o } as any);
  expect(formatError(st({ code: 404, reason: "NotFound", message: 'pods "x" not found' }))).toBe('Error from server (NotFound): pods "x" not found');
  expect(formatError(st({ code: 500, message: "boom" }))).toBe("Error from server: boom");
  expect(
    formatError(st({ code: 422, reason: "Invalid", message: "m", details: { kind: "Pod", name: "p", causes: [{ field: "spec.containers", message: "Required value" }] } })),
  ).toBe('The Pod "p" is invalid: spec.containers: Required value');
  expect(formatError(new Error("bad"))).toBe("error: bad");
});

test("manifests: multi-document YAML, Lists and empty documents", () => {
  const ms = parseManifests("---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n", "f.yaml");
  expect(ms.map((m) => `${m.obj.kind}/${m.obj.metadata.name}`)).toEqual(["ConfigMap/a", "Secret/s"]);
  expect(() => parseManifests("metadata: {name: a}\n", "f")).toThrow(/kind not set/);
  const dir = mkdtempSync(join(tmpdir(), "kubectl-manifests-"));
  try {
    writeFileSync(join(dir, "x.json"), JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } }));
    expect(parseManifests(readFileSync(join(dir, "x.json"), "utf8"), "x.json")[0]!.obj.kind).toBe("Namespace");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("rollout status messages follow the deployment through its rollout", () => {
  const d = (status: object, gen = 2) => ({ metadata: { name: "web", generation: gen }, spec: { replicas: 3 }, status: { observedGeneration: 2, ...status } });
  expect(rolloutStatus("Deployment", d({}, 3)).msg).toBe("Waiting for deployment spec update to be observed...\n");
  expect(rolloutStatus("Deployment", d({ updatedReplicas: 1, replicas: 3 })).msg).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
  expect(rolloutStatus("Deployment", d({ updatedReplicas: 3, replicas: 4 })).msg).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n');
  expect(rolloutStatus("Deployment", d({ updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).msg).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n');
  expect(rolloutStatus("Deployment", d({ updatedReplicas: 3, replicas: 3, availableReplicas: 3 }))).toEqual({ msg: 'deployment "web" successfully rolled out\n', done: true });
  expect(() => rolloutStatus("Deployment", d({ conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded" }] }))).toThrow(/exceeded its progress deadline/);
});

test("wait conditions", () => {
  const obj = { metadata: { generation: 2 }, status: { phase: "Running", conditions: [{ type: "Ready", status: "True", observedGeneration: 2 }] } };
  expect(conditionMet(parseFor("condition=ready"), obj)).toBe(true);
  expect(conditionMet(parseFor("condition=Ready=false"), obj)).toBe(false);
  expect(conditionMet(parseFor("condition=Ready"), { ...obj, metadata: { generation: 3 } })).toBe(false);
  expect(conditionMet(parseFor("delete"), undefined)).toBe(true);
  expect(conditionMet(parseFor("jsonpath={.status.phase}=Running"), obj)).toBe(true);
  expect(conditionMet(parseFor("jsonpath={.status.phase}=Failed"), obj)).toBe(false);
  expect(() => parseFor("bogus")).toThrow(/unrecognized condition/);
});

test("cp and port-forward argument forms; top units", () => {
  expect(parseCpSpec("ns/pod:/tmp/x")).toEqual({ namespace: "ns", pod: "pod", path: "/tmp/x" });
  expect(parseCpSpec("pod:/tmp")).toEqual({ pod: "pod", path: "/tmp" });
  expect(parseCpSpec("/local/file")).toEqual({ path: "/local/file" });
  expect(parsePortSpecs(["8080:80", "9090", ":http"])).toEqual([
    { local: 8080, remote: 80 },
    { local: 9090, remote: 9090 },
    { local: 0, remote: "http" },
  ]);
  expect(() => parsePortSpecs(["1:2:3"])).toThrow(/invalid port format/);
  expect(cpuCell(quantity("1500000n"))).toBe("2m");
  expect(cpuCell(quantity("250m"))).toBe("250m");
  expect(memCell(quantity("10240Ki"))).toBe("10Mi");
});
