// Lossless encode -> decode of canonical objects covering the full PodSpec graph and the special
// types (Time, MicroTime, Quantity, IntOrString, FieldsV1, bytes, string-list maps).
import { describe, expect, test } from "bun:test";
import { decodeKubeProtobuf, encodeKubeProtobuf, supportedProtobufKinds } from "./index.ts";
import { kindSamples, richPod } from "./testdata/objects.ts";

describe("round trip", () => {
  test("a Pod using every PodSpec area survives encode -> decode unchanged", () => {
    const bytes = encodeKubeProtobuf(richPod);
    expect([...bytes.subarray(0, 4)]).toEqual([0x6b, 0x38, 0x73, 0x00]);
    expect(decodeKubeProtobuf(bytes)).toEqual(richPod);
  });

  for (const obj of kindSamples) {
    test(`${obj.apiVersion} ${obj.kind} survives encode -> decode unchanged`, () => {
      expect(decodeKubeProtobuf(encodeKubeProtobuf(obj))).toEqual(obj);
    });
  }

  test("Go JSON defaults: omitempty drops zeros, pointers keep them, structs always print", () => {
    const out = decodeKubeProtobuf(
      encodeKubeProtobuf({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d", generation: 0 }, spec: { replicas: 0, minReadySeconds: 0, paused: false } }),
    );
    expect(out).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d", creationTimestamp: null },
      spec: { replicas: 0, selector: null, template: { metadata: { creationTimestamp: null }, spec: { containers: null } }, strategy: {} },
      status: {},
    } as any); // Go prints a zero metav1.Time as null, which ObjectMeta's type does not model
  });

  test("times are normalised like Go: Time to whole seconds in UTC, MicroTime to microseconds", () => {
    const out = decodeKubeProtobuf(
      encodeKubeProtobuf({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: "l", creationTimestamp: "2025-03-04T07:06:07.9+02:00" },
        spec: { acquireTime: "2025-03-04T05:06:07.1234567Z" },
      }),
    );
    expect(out.metadata!.creationTimestamp).toBe("2025-03-04T05:06:07Z");
    expect(out.spec.acquireTime).toBe("2025-03-04T05:06:07.123456Z");
  });

  test("supportedProtobufKinds lists the generator kinds and the subresource kinds", () => {
    const kinds = supportedProtobufKinds();
    for (const k of [
      "v1/Namespace", "v1/ConfigMap", "v1/Secret", "apps/v1/Deployment", "v1/Service", "batch/v1/Job", "batch/v1/CronJob",
      "rbac.authorization.k8s.io/v1/Role", "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRole",
      "rbac.authorization.k8s.io/v1/ClusterRoleBinding", "v1/ServiceAccount", "v1/ResourceQuota", "scheduling.k8s.io/v1/PriorityClass",
      "networking.k8s.io/v1/Ingress", "policy/v1/PodDisruptionBudget", "authentication.k8s.io/v1/TokenRequest",
      "authorization.k8s.io/v1/SelfSubjectAccessReview", "authentication.k8s.io/v1/SelfSubjectReview", "v1/DeleteOptions",
      "autoscaling/v1/Scale", "policy/v1/Eviction", "v1/Binding", "v1/Pod",
    ])
      expect(kinds).toContain(k);
    expect(kinds).not.toContain("v1/DeploymentFoo");
  });
});
