// Real kubectl 1.32/1.33 protobuf request bodies (captured by testdata/capture.ts) must decode to
// exactly what `kubectl … --dry-run=client -o json` prints for the same command.
import { describe, expect, test } from "bun:test";
import { decodeKubeProtobuf, encodeKubeProtobuf, PROTOBUF_CONTENT_TYPE } from "./index.ts";
import recs132 from "./testdata/kubectl-1.32.json";
import recs133 from "./testdata/kubectl-1.33.json";

interface Rec { name: string; path: string; contentType: string; body: string; expected?: Record<string, unknown> }
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));

// Commands without a client dry-run: the objects Go's JSON encoder prints for what kubectl sent.
const EXPECTED_WITHOUT_DRY_RUN: Record<string, unknown> = {
  token: {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    metadata: { creationTimestamp: null },
    spec: { audiences: ["api"], expirationSeconds: 3600, boundObjectRef: null },
    status: { token: "", expirationTimestamp: null },
  },
  "token-bound": {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    metadata: { creationTimestamp: null },
    spec: { audiences: null, expirationSeconds: null, boundObjectRef: { kind: "Pod", apiVersion: "v1", name: "p1", uid: "p-1" } },
    status: { token: "", expirationTimestamp: null },
  },
  "can-i": {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: "team-a", verb: "create", group: "apps", resource: "deployments" } },
    status: { allowed: false },
  },
  "can-i-subresource": {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: "default", verb: "get", resource: "pods", subresource: "log" } },
    status: { allowed: false },
  },
  whoami: {
    apiVersion: "authentication.k8s.io/v1",
    kind: "SelfSubjectReview",
    metadata: { creationTimestamp: null },
    status: { userInfo: {} },
  },
  "drain-delete": { apiVersion: "v1", kind: "DeleteOptions", gracePeriodSeconds: 30 },
};
// kubectl drain posts its Eviction as JSON, not protobuf: that body is Go's own JSON for an Eviction.
const JSON_BODIES = new Set(["drain-evict"]);

for (const [version, recs] of [["1.32", recs132], ["1.33", recs133]] as const) {
  describe(`kubectl ${version} protobuf bodies`, () => {
    test("every captured command sent protobuf (drain's Eviction aside)", () => {
      expect((recs as Rec[]).length).toBeGreaterThanOrEqual(33);
      for (const r of recs as Rec[]) expect(r.contentType).toBe(JSON_BODIES.has(r.name) ? "application/json" : PROTOBUF_CONTENT_TYPE);
    });
    for (const r of (recs as Rec[]).filter((r) => JSON_BODIES.has(r.name))) {
      test(`${r.name}: kubectl's JSON body survives protobuf encode -> decode unchanged`, () => {
        const json = JSON.parse(Buffer.from(r.body, "base64").toString("utf8"));
        expect(decodeKubeProtobuf(encodeKubeProtobuf(json))).toEqual(json);
      });
    }
    for (const r of (recs as Rec[]).filter((r) => !JSON_BODIES.has(r.name))) {
      test(`${r.name} decodes to the JSON kubectl would send`, () => {
        const want = r.expected ?? EXPECTED_WITHOUT_DRY_RUN[r.name];
        expect(want).toBeDefined();
        expect(decodeKubeProtobuf(bytes(r.body))).toEqual(want as any);
      });
      test(`${r.name} round-trips through encode`, () => {
        const obj = decodeKubeProtobuf(bytes(r.body));
        expect(decodeKubeProtobuf(encodeKubeProtobuf(obj))).toEqual(obj);
      });
    }
  });
}

test("spot checks of decoded shapes", () => {
  const find = (n: string) => (recs133 as Rec[]).find((r) => r.name === n)!;
  const secret = decodeKubeProtobuf(bytes(find("secret-generic").body));
  expect(secret.data).toEqual({ pass: Buffer.from("s3cr=t").toString("base64"), user: Buffer.from("admin").toString("base64") });
  const dep = decodeKubeProtobuf(bytes(find("deployment").body));
  expect(dep.spec.replicas).toBe(2);
  expect(dep.spec.template.spec.containers[0]).toEqual({ name: "busybox", image: "busybox", ports: [{ containerPort: 80 }], resources: {} });
  const pdb = decodeKubeProtobuf(bytes(find("pdb").body));
  expect(pdb.spec.minAvailable).toBe("50%");
  expect(decodeKubeProtobuf(bytes(find("pdb-max").body)).spec.maxUnavailable).toBe(1);
  const quota = decodeKubeProtobuf(bytes(find("quota").body));
  expect(quota.spec.hard).toEqual({ cpu: "1", memory: "1Gi", pods: "10" });
  const hpa = decodeKubeProtobuf(bytes(find("autoscale").body));
  expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { kind: "Deployment", name: "web", apiVersion: "apps/v1" } });
  expect(hpa.spec.metrics[0].resource).toEqual({ name: "cpu", target: { type: "Utilization", averageUtilization: 80 } });
  const svc = decodeKubeProtobuf(bytes(find("service-nodeport").body));
  expect(svc.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30080 });
});
