import { afterAll, beforeAll, expect, test } from "bun:test";
import { StatusError } from "../../api/errors.ts";
import { startServiceAccountsController } from "./serviceaccounts.ts";
import { startRootCAPublisher } from "./rootca.ts";
import { startControllerTest, waitFor, type ControllerTest } from "../garbagecollector/test-ctx.ts";

const NS = { group: "", version: "v1", resource: "namespaces" };
const SA = { group: "", version: "v1", resource: "serviceaccounts" };
const CM = { group: "", version: "v1", resource: "configmaps" };
const PEM = "-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n";
let t: ControllerTest;
beforeAll(async () => {
  t = await startControllerTest([startServiceAccountsController, startRootCAPublisher], { rootCAPem: PEM });
});
afterAll(async () => {
  await t?.stop();
});
const get = (gvr: typeof SA, name: string, namespace: string) => t.client.get(gvr, name, { namespace }).catch((e) => {
  if (e instanceof StatusError && e.code === 404) return undefined;
  throw e;
});

test("a new namespace gets the default ServiceAccount and kube-root-ca.crt; both come back", async () => {
  await t.client.create(NS, { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } });
  await waitFor(async () => !!(await get(SA, "default", "team")) && !!(await get(CM, "kube-root-ca.crt", "team")), 10_000, "sa and cm");
  const cm = await get(CM, "kube-root-ca.crt", "team");
  expect(cm!.data).toEqual({ "ca.crt": PEM });
  expect(cm!.metadata!.annotations!["kubernetes.io/description"]).toContain("kube-apiserver");
  // Pre-existing namespaces are covered too.
  expect(await get(SA, "default", "default")).toBeDefined();

  await t.client.delete(SA, "default", { namespace: "team" });
  await t.client.patch(CM, "kube-root-ca.crt", "merge", { data: { "ca.crt": "tampered", extra: "x" } }, { namespace: "team" });
  await waitFor(async () => (await get(CM, "kube-root-ca.crt", "team"))?.data?.["ca.crt"] === PEM, 10_000, "cm restored");
  expect((await get(CM, "kube-root-ca.crt", "team"))!.data).toEqual({ "ca.crt": PEM });
  await waitFor(async () => !!(await get(SA, "default", "team")), 10_000, "sa recreated");
  await t.client.delete(CM, "kube-root-ca.crt", { namespace: "team" });
  await waitFor(async () => !!(await get(CM, "kube-root-ca.crt", "team")), 10_000, "cm recreated");
});
