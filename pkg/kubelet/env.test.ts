import { describe, expect, test } from "bun:test";
import { buildEnv, ConfigError, expand, expandArgs, resourceValue, serviceLinkEnv, type EnvSources } from "./env.ts";

const pod = { metadata: { name: "p", namespace: "ns" } };
const sources = (over: Partial<EnvSources> = {}): EnvSources => ({
  configMap: (_ns, n) => (n === "cm" ? { A: "from-cm", "bad key": "x" } : undefined),
  secret: (_ns, n) => (n === "sec" ? { PASS: "s3cret" } : undefined),
  field: (p) => ({ "metadata.name": "p", "metadata.namespace": "ns", "status.podIP": "10.42.0.9" } as Record<string, string>)[p],
  containerResources: () => ({ limits: { memory: "64Mi", cpu: "500m" } }),
  nodeAllocatable: { cpu: "2", memory: "4Gi" },
  serviceEnv: {},
  ...over,
});

describe("expand", () => {
  test("upstream semantics", () => {
    const v = (n: string) => ({ A: "1", B: "two" } as Record<string, string>)[n];
    expect(expand("$(A)-$(B)", v)).toBe("1-two");
    expect(expand("$(MISSING)", v)).toBe("$(MISSING)");
    expect(expand("$$(A)", v)).toBe("$(A)");
    expect(expand("a$b$", v)).toBe("a$b$");
    expect(expand("$(A", v)).toBe("$(A");
  });
});

describe("buildEnv", () => {
  test("envFrom, env order, references and valueFrom", () => {
    const c = {
      name: "c",
      envFrom: [{ configMapRef: { name: "cm" }, prefix: "CM_" }],
      env: [
        { name: "X", value: "x" },
        { name: "Y", value: "$(X)-$(CM_A)" },
        { name: "POD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "PASS", valueFrom: { secretKeyRef: { name: "sec", key: "PASS" } } },
        { name: "OPT", valueFrom: { configMapKeyRef: { name: "nope", key: "k", optional: true } } },
        { name: "MEM", valueFrom: { resourceFieldRef: { resource: "limits.memory", divisor: "1Mi" } } },
        { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
      ],
    };
    expect(buildEnv(pod, c, sources())).toEqual(["CM_A=from-cm", "X=x", "Y=x-from-cm", "POD=p", "PASS=s3cret", "MEM=64", "CPU=500"]);
  });
  test("missing required sources are config errors", () => {
    expect(() => buildEnv(pod, { name: "c", env: [{ name: "A", valueFrom: { secretKeyRef: { name: "gone", key: "k" } } }] }, sources())).toThrow(ConfigError);
    expect(() => buildEnv(pod, { name: "c", env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "cm", key: "nokey" } } }] }, sources())).toThrow(/couldn't find key nokey/);
  });
  test("args expand against the final env; limits default to allocatable", () => {
    expect(expandArgs(["echo", "$(X)", "$(Y)"], ["X=1"])).toEqual(["echo", "1", "$(Y)"]);
    expect(resourceValue({ resource: "limits.cpu" }, {}, { cpu: "2", memory: "1Gi" })).toBe("2");
  });
  test("service links", () => {
    const env = serviceLinkEnv([{ metadata: { name: "my-svc", namespace: "ns" }, spec: { clusterIP: "10.43.0.5", ports: [{ name: "http", port: 80, protocol: "TCP" }] } }], "ns", true);
    expect(env.MY_SVC_SERVICE_HOST).toBe("10.43.0.5");
    expect(env.MY_SVC_PORT).toBe("tcp://10.43.0.5:80");
    expect(env.MY_SVC_PORT_80_TCP_ADDR).toBe("10.43.0.5");
    expect(env.MY_SVC_SERVICE_PORT_HTTP).toBe("80");
    const master = { metadata: { name: "kubernetes", namespace: "default" }, spec: { clusterIP: "10.43.0.1", ports: [{ name: "https", port: 443 }] } };
    const other = { metadata: { name: "web", namespace: "default" }, spec: { clusterIP: "10.43.0.9", ports: [{ port: 80 }] } };
    const off = serviceLinkEnv([master, other], "default", false);
    expect(off.KUBERNETES_SERVICE_HOST).toBe("10.43.0.1");
    expect(off.WEB_SERVICE_HOST).toBeUndefined();
  });
});
