import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { makeHarness, type Harness } from "./testing/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(async () => {
  await h.close();
});

const APPLY = { "content-type": "application/apply-patch+yaml" };
const path = "/apis/apps/v1/namespaces/default/deployments/web";
const cfg = (replicas: number, image = "nginx:1") => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: { replicas, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image }] } } },
});

describe("server-side apply", () => {
  test("apply creates, re-apply is a no-op, managedFields record the manager", async () => {
    const c = await h.call("PATCH", `${path}?fieldManager=kubectl&fieldValidation=Strict`, cfg(2), APPLY);
    expect(c.status).toBe(201);
    expect(c.body.spec.replicas).toBe(2);
    expect(c.body.spec.strategy.type).toBe("RollingUpdate"); // defaulted
    const mf = c.body.metadata.managedFields;
    expect(mf).toHaveLength(1);
    expect(mf[0]).toMatchObject({ manager: "kubectl", operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1" });
    expect(mf[0].fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    const again = await h.call("PATCH", `${path}?fieldManager=kubectl`, cfg(2), APPLY);
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
    expect(again.body.metadata.managedFields).toEqual(mf);
    const yaml = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1\n`;
    const y = await h.call("PATCH", `${path}?fieldManager=kubectl`, yaml, APPLY);
    expect(y.status).toBe(200);
    expect(y.body.spec.replicas).toBe(3);
  });

  test("conflicts with another manager are 409 with causes; force takes ownership", async () => {
    await h.call("PATCH", `${path}?fieldManager=kubectl`, cfg(2), APPLY);
    const other = await h.call("PATCH", `${path}?fieldManager=scaler`, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 5 } }, APPLY);
    expect(other.status).toBe(409);
    expect(other.body.reason).toBe("Conflict");
    expect(other.body.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(other.body.details.causes[0]).toMatchObject({ reason: "FieldManagerConflict", field: ".spec.replicas" });
    const forced = await h.call("PATCH", `${path}?fieldManager=scaler&force=true`, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { replicas: 5 } }, APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.spec.replicas).toBe(5);
    const managers = forced.body.metadata.managedFields.map((m: any) => m.manager).sort();
    expect(managers).toEqual(["kubectl", "scaler"]);
  });

  test("apply requires a fieldManager; Update after Apply is recorded", async () => {
    const r = await h.call("PATCH", path, cfg(1), APPLY);
    expect(r.status).toBe(422);
    await h.call("PATCH", `${path}?fieldManager=kubectl`, cfg(1), APPLY);
    const m = await h.call("PATCH", `${path}?fieldManager=kubectl-edit`, { spec: { replicas: 4 } }, { "content-type": "application/merge-patch+json" });
    expect(m.status).toBe(200);
    const upd = m.body.metadata.managedFields.find((e: any) => e.manager === "kubectl-edit");
    expect(upd).toMatchObject({ operation: "Update" });
    expect(upd.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
  });

  test("create and update record an Update entry from the user agent", async () => {
    const c = await h.call("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "1" } }, { "user-agent": "kubectl/v1.33.0 (linux/amd64)" });
    expect(c.body.metadata.managedFields[0]).toMatchObject({ manager: "kubectl", operation: "Update" });
  });
});
