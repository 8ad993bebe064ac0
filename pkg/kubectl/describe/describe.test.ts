import { expect, test } from "bun:test";
import { formatLabelSelector, rfc1123z } from "./common.ts";
import { describeConfigMap, describeGeneric, smartLabel } from "./core.ts";
import { DescribeWriter } from "./gotabwriter.ts";
import { describePod } from "./pod.ts";
import { describeDeployment } from "./workloads.ts";

const NOW = Date.parse("2024-05-01T12:00:00Z");

const pod = {
  metadata: {
    name: "web-1",
    namespace: "default",
    labels: { app: "web", tier: "fe" },
    annotations: {},
    ownerReferences: [{ kind: "ReplicaSet", name: "web-abc", controller: true }],
  },
  spec: {
    nodeName: "n1",
    priority: 0,
    serviceAccountName: "default",
    containers: [
      {
        name: "main",
        image: "busybox",
        command: ["sh", "-c"],
        args: ["sleep 1"],
        ports: [{ containerPort: 80, protocol: "TCP", name: "http" }],
        env: [{ name: "A", value: "1" }, { name: "N", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } } }],
        volumeMounts: [{ name: "data", mountPath: "/data" }],
      },
    ],
    volumes: [{ name: "data", emptyDir: {} }],
    tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }],
  },
  status: {
    phase: "Running",
    hostIP: "10.0.0.1",
    podIP: "10.42.0.5",
    podIPs: [{ ip: "10.42.0.5" }],
    startTime: "2024-05-01T11:59:00Z",
    qosClass: "BestEffort",
    conditions: [{ type: "Ready", status: "True" }],
    containerStatuses: [{ name: "main", ready: true, restartCount: 2, containerID: "kubun://1", imageID: "sha256:x", state: { running: { startedAt: "2024-05-01T11:59:30Z" } } }],
  },
};

test("a pod reads like kubectl describe pod", () => {
  const w = new DescribeWriter();
  const events = [{ type: "Normal", reason: "Started", message: "Started container main", source: { component: "kubelet" }, count: 3, firstTimestamp: "2024-05-01T11:50:00Z", lastTimestamp: "2024-05-01T11:59:00Z", involvedObject: { fieldPath: "spec.containers{main}" } }];
  describePod(w, pod, events, NOW);
  expect(w.toString()).toBe(`Name:             web-1
Namespace:        default
Priority:         0
Service Account:  default
Node:             n1/10.0.0.1
Start Time:       Wed, 01 May 2024 11:59:00 +0000
Labels:           app=web
                  tier=fe
Annotations:      <none>
Status:           Running
IP:               10.42.0.5
IPs:
  IP:           10.42.0.5
Controlled By:  ReplicaSet/web-abc
Containers:
  main:
    Container ID:  kubun://1
    Image:         busybox
    Image ID:      sha256:x
    Port:          80/TCP
    Host Port:     0/TCP
    Command:
      sh
      -c
    Args:
      sleep 1
    State:          Running
      Started:      Wed, 01 May 2024 11:59:30 +0000
    Ready:          True
    Restart Count:  2
    Environment:
      A:  1
      N:  web-1 (v1:metadata.name)
    Mounts:
      /data from data (rw)
Conditions:
  Type    Status
  Ready   True 
Volumes:
  data:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
Events:
  Type    Reason   Age                From     Message
  ----    ------   ----               ----     -------
  Normal  Started  60s (x3 over 10m)  kubelet  Started container main
`);
});

test("a deployment lists its ReplicaSets and conditions", () => {
  const w = new DescribeWriter();
  const d = {
    metadata: { name: "web", namespace: "default", creationTimestamp: "2024-05-01T11:00:00Z", labels: {}, annotations: { "deployment.kubernetes.io/revision": "2" } },
    spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "i" }] } } },
    status: { replicas: 2, updatedReplicas: 2, availableReplicas: 1, unavailableReplicas: 1, conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable" }] },
  };
  describeDeployment(w, d, [], { metadata: { name: "web-1" }, spec: { replicas: 2 }, status: { replicas: 2 } }, [], NOW);
  const out = w.toString();
  expect(out).toContain("Replicas:               2 desired | 2 updated | 2 total | 1 available | 1 unavailable\n");
  expect(out).toContain("RollingUpdateStrategy:  25% max unavailable, 25% max surge\n");
  expect(out).toContain("Pod Template:\n  Labels:  app=web\n  Containers:\n   c:\n    Image:         i\n");
  expect(out).toContain("Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      False   MinimumReplicasUnavailable\n");
  expect(out).toContain("OldReplicaSets:  <none>\nNewReplicaSet:   web-1 (2/2 replicas created)\nEvents:          <none>\n");
});

test("configmap data blocks, generic objects, helpers", () => {
  const w = new DescribeWriter();
  describeConfigMap(w, { metadata: { name: "c", namespace: "d" }, data: { k: "v" } }, undefined, NOW);
  expect(w.toString()).toBe("Name:         c\nNamespace:    d\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\nk:\n----\nv\n\n\nBinaryData\n====\n\n");
  const g = new DescribeWriter();
  describeGeneric(g, { apiVersion: "x/v1", kind: "Thing", metadata: { name: "t", uid: "u" }, spec: { fooBar: 1, list: ["a"] } }, undefined, NOW);
  expect(g.toString()).toContain("API Version:  x/v1\nKind:         Thing\nMetadata:\n  UID:  u\nSpec:\n  Foo Bar:  1\n  List:\n    a\n");
  expect(smartLabel("apiVersion")).toBe("API Version");
  expect(smartLabel("podCIDR")).toBe("Pod CIDR");
  expect(formatLabelSelector({ matchLabels: { b: "2", a: "1" }, matchExpressions: [{ key: "x", operator: "In", values: ["p", "q"] }] })).toBe("a=1,b=2,x in (p,q)");
  expect(rfc1123z("2006-01-02T15:04:05Z")).toBe("Mon, 02 Jan 2006 15:04:05 +0000");
});
