import { expect, test } from "bun:test";
import { renderJSONPath } from "./jsonpath.ts";
import { parseOutput, printObjects, stripManagedFields, toJSON, toYAML } from "./output.ts";

const pod = { kind: "Pod", apiVersion: "v1", metadata: { name: "p", creationTimestamp: "2024-01-02T03:04:05Z", labels: { app: "x" } }, spec: { containers: [{ name: "c", env: [{ name: "A", value: "1" }, { name: "B", value: "yes" }] }] } };

test("YAML like kubectl: sorted keys, unindented sequences, quoted ambiguous strings", () => {
  expect(toYAML(pod)).toBe(`apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: "2024-01-02T03:04:05Z"
  labels:
    app: x
  name: p
spec:
  containers:
  - env:
    - name: A
      value: "1"
    - name: B
      value: "yes"
    name: c
`);
});

test("JSON indented by 4 with sorted keys; several objects become a v1 List", () => {
  expect(toJSON({ b: 1, a: [1] })).toBe('{\n    "a": [\n        1\n    ],\n    "b": 1\n}\n');
  const list = JSON.parse(printObjects({ kind: "json" }, [pod, pod], false, () => ""));
  expect(list).toMatchObject({ apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" } });
  expect(list.items).toHaveLength(2);
  expect(printObjects({ kind: "name" }, [pod], false, (o) => `pod/${o.metadata.name}`)).toBe("pod/p\n");
});

test("managed fields are hidden", () => {
  expect(stripManagedFields({ metadata: { name: "a", managedFields: [{}] } })).toEqual({ metadata: { name: "a" } });
});

test("output format parsing", () => {
  expect(parseOutput("wide")).toEqual({ kind: "table", wide: true });
  expect(parseOutput("jsonpath={.a}")).toEqual({ kind: "jsonpath", template: "{.a}" });
  expect(() => parseOutput("xml")).toThrow(/unable to match a printer/);
});

test("JSONPath templates: paths, ranges, literals, filters, missing keys", () => {
  const list = { items: [pod, { ...pod, metadata: { ...pod.metadata, name: "q" } }] };
  expect(renderJSONPath("{.items[*].metadata.name}", list)).toBe("p q");
  expect(renderJSONPath('{range .items[*]}{.metadata.name}{"\\n"}{end}', list)).toBe("p\nq\n");
  expect(renderJSONPath("name={.metadata.name} app={.metadata.labels.app}", pod)).toBe("name=p app=x");
  expect(renderJSONPath('{.spec.containers[0].env[?(@.name=="B")].value}', pod)).toBe("yes");
  expect(renderJSONPath("{.metadata.labels}", pod)).toBe('{"app":"x"}');
  expect(renderJSONPath("{.missing}", pod)).toBe("");
  expect(() => renderJSONPath("{.missing}", pod, false)).toThrow(/missing is not found/);
  expect(() => renderJSONPath("{range .items[*]}", list)).toThrow(/unclosed range/);
});

test("long plain scalars fold like go-yaml: at the first space past column 80, one level deeper", () => {
  const cmd = "mkdir -p /www && echo hello-web > /www/index.html && exec httpd -f -p 8080 -h /www";
  const y = toYAML({ spec: { containers: [{ command: ["sh", cmd], message: `${"word ".repeat(20)}end` }] } });
  expect(y).toBe(`spec:
  containers:
  - command:
    - sh
    - mkdir -p /www && echo hello-web > /www/index.html && exec httpd -f -p 8080 -h
      /www
    message: word word word word word word word word word word word word word word
      word word word word word word end
`);
  const block = toYAML({ data: { script: `${"x ".repeat(60)}\nsecond line\n` } });
  expect(block).toContain("\n    second line\n");
});

test("custom-columns: headers as given, minimum width 10, several values comma-joined, missing <none>", () => {
  const fmt = parseOutput("custom-columns=NAME:.metadata.name,APP:.metadata.labels.app,ENV:.spec.containers[*].env[*].name,X:.nope");
  const out = printObjects(fmt, [pod], false, () => "");
  expect(out).toBe("NAME      APP       ENV       X\np         x         A,B       <none>\n");
});

test("--sort-by orders numbers by value, strings lexically, missing fields first", async () => {
  const { sortBy } = await import("./sortby.ts");
  const objs = [{ n: "b", v: 10 }, { n: "a", v: 9 }, { n: "c" }];
  expect(sortBy(objs, ".v").map((o) => o.n)).toEqual(["c", "a", "b"]);
  expect(sortBy(objs, "{.n}").map((o) => o.n)).toEqual(["a", "b", "c"]);
});
