import { describe, expect, test } from "bun:test";
import { StatusError } from "../errors.ts";
import type { ResourceInfo } from "../types.ts";
import {
  fieldSetOf,
  labelSelectorFromSpec,
  labelSelectorString,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  validateFieldSelector,
} from "./index.ts";

function err(f: () => unknown): StatusError {
  try {
    f();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error("expected a StatusError");
}

const info = (group: string, kind: string, namespaced = true): ResourceInfo => ({
  group, version: "v1", kind, resource: kind.toLowerCase() + "s", singular: kind.toLowerCase(), listKind: kind + "List",
  namespaced, shortNames: [], categories: [], verbs: [], subresources: [],
});

describe("label selector parsing", () => {
  test("all operators", () => {
    const s = parseLabelSelector("x in (foo,,baz),y,z notin ()   ,!w, a=b, c==d, e!=f");
    expect(labelSelectorString(s)).toBe("a=b,c==d,e!=f,!w,x in (,baz,foo),y,z notin ()");
    expect(matchesLabels(s, { x: "foo", y: "1", a: "b", c: "d" })).toBe(true);
    expect(matchesLabels(s, { x: "foo", y: "1", a: "b", c: "d", e: "f" })).toBe(false);
    expect(matchesLabels(s, { x: "foo", y: "1", a: "b", c: "d", w: "" })).toBe(false);
    expect(matchesLabels(s, { x: "nope", y: "1", a: "b", c: "d" })).toBe(false);
    expect(matchesLabels(s, { x: "foo", a: "b", c: "d" })).toBe(false);
  });
  test("empty selects everything; notin/!= match a missing key", () => {
    expect(matchesLabels(parseLabelSelector(""), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector("a notin (x)"), {})).toBe(true);
    expect(matchesLabels(parseLabelSelector("a!=x"), {})).toBe(true);
    expect(matchesLabels(parseLabelSelector("a="), { a: "" })).toBe(true);
    expect(matchesLabels(parseLabelSelector("app in (in, notin)"), { app: "notin" })).toBe(true);
    expect(matchesLabels(parseLabelSelector("n>3"), { n: "4" })).toBe(true);
    expect(matchesLabels(parseLabelSelector("n<3"), { n: "4" })).toBe(false);
    expect(matchesLabels(parseLabelSelector("example.com/tier=db"), { "example.com/tier": "db" })).toBe(true);
  });
  test("errors are BadRequest with upstream wording", () => {
    let e = err(() => parseLabelSelector("a$"));
    expect(e.code).toBe(400);
    expect(e.message).toBe(
      `unable to parse requirement: <nil>: Invalid value: "a$": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
    e = err(() => parseLabelSelector("a b"));
    expect(e.message).toBe("unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    e = err(() => parseLabelSelector("a in b"));
    expect(e.message).toBe("unable to parse requirement: found 'b' expected: '('");
    e = err(() => parseLabelSelector("a=b,"));
    expect(e.message).toBe("found '', expected: identifier after ','");
    e = err(() => parseLabelSelector("=b"));
    expect(e.message).toBe("found '=', expected: !, identifier, or 'end of string'");
    e = err(() => parseLabelSelector("a=b c"));
    expect(e.message).toBe("found 'c', expected: ',' or 'end of string'");
    e = err(() => parseLabelSelector("a in (x"));
    expect(e.message).toBe("unable to parse requirement: found '', expected: ',' or ')'");
    e = err(() => parseLabelSelector("a=b$"));
    expect(e.message).toStartWith(`unable to parse requirement: values[0][a]: Invalid value: "b$": a valid label must be an empty string`);
  });
  test("keys that shadow Object.prototype", () => {
    expect(matchesLabels(parseLabelSelector("constructor=x,toString"), { constructor: "x", toString: "" })).toBe(true);
    expect(matchesLabels(parseLabelSelector("constructor"), {})).toBe(false);
    expect(matchesFields(parseFieldSelector("constructor="), {})).toBe(true);
  });
  test("LabelSelector struct form", () => {
    const s = labelSelectorFromSpec({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }, { key: "x", operator: "DoesNotExist" }] });
    expect(matchesLabels(s, { app: "web", tier: "fe" })).toBe(true);
    expect(matchesLabels(s, { app: "web", tier: "db" })).toBe(false);
    expect(matchesLabels(s, { app: "web", x: "1" })).toBe(false);
    expect(matchesLabels(labelSelectorFromSpec(null), { a: "b" })).toBe(false);
    expect(matchesLabels(labelSelectorFromSpec({}), { a: "b" })).toBe(true);
    expect(err(() => labelSelectorFromSpec({ matchExpressions: [{ key: "a", operator: "Foo" }] })).message).toBe(
      `"Foo" is not a valid label selector operator`,
    );
  });
});

describe("field selectors", () => {
  test("parse and match", () => {
    const s = parseFieldSelector("spec.nodeName=n1,status.phase!=Failed,metadata.name==a\\,b");
    expect(s.requirements).toEqual([
      { field: "spec.nodeName", op: "=", value: "n1" },
      { field: "status.phase", op: "!=", value: "Failed" },
      { field: "metadata.name", op: "=", value: "a,b" },
    ]);
    const pod = { metadata: { name: "a,b", namespace: "ns" }, spec: { nodeName: "n1" }, status: { phase: "Running" } };
    const fields = fieldSetOf(info("", "Pod"), pod);
    expect(fields["spec.nodeName"]).toBe("n1");
    expect(fields["metadata.namespace"]).toBe("ns");
    expect(matchesFields(s, fields)).toBe(true);
    expect(matchesFields(s, { ...fields, "status.phase": "Failed" })).toBe(false);
    expect(matchesFields(parseFieldSelector(""), fields)).toBe(true);
  });
  test("bad syntax is a 400", () => {
    const e = err(() => parseFieldSelector("foo"));
    expect(e.code).toBe(400);
    expect(e.message).toBe("invalid selector: 'foo'; can't understand 'foo'");
    expect(err(() => parseFieldSelector("a=b=c")).message).toBe("invalid field selector: unescaped character in value: 61");
    expect(err(() => parseFieldSelector("a=b\\x")).message).toBe("invalid field selector: invalid escape sequence: \\x");
    // The leftmost operator splits the term.
    expect(parseFieldSelector("a==b").requirements).toEqual([{ field: "a", op: "=", value: "b" }]);
    expect(parseFieldSelector("a!=").requirements).toEqual([{ field: "a", op: "!=", value: "" }]);
  });
  test("a missing field compares as the empty string", () => {
    expect(matchesFields(parseFieldSelector("spec.nodeName="), { "metadata.name": "a" })).toBe(true);
    expect(matchesFields(parseFieldSelector("spec.nodeName!="), { "metadata.name": "a" })).toBe(false);
  });
  test("events, secrets, nodes, jobs expose their fields", () => {
    const ev = { metadata: { name: "e" }, involvedObject: { kind: "Pod", name: "p", uid: "u1", namespace: "d" }, reason: "Started", type: "Normal", source: { component: "kubelet" } };
    const f = fieldSetOf(info("", "Event"), ev);
    expect(f).toMatchObject({ "involvedObject.kind": "Pod", "involvedObject.uid": "u1", reason: "Started", type: "Normal", source: "kubelet" });
    expect(fieldSetOf(info("", "Secret"), { type: "kubernetes.io/tls" }).type).toBe("kubernetes.io/tls");
    // events.k8s.io reads the shared (core-shaped) storage too.
    expect(fieldSetOf(info("events.k8s.io", "Event"), { ...ev, reportingComponent: "kubelet" })).toMatchObject({ "regarding.name": "p", "regarding.uid": "u1", reportingController: "kubelet" });
    expect(fieldSetOf(info("events.k8s.io", "Event"), { regarding: { kind: "Node", name: "n" } })["regarding.kind"]).toBe("Node");
    expect(fieldSetOf(info("", "Node", false), { spec: {} })["spec.unschedulable"]).toBe("false");
    expect(fieldSetOf(info("batch", "Job"), { status: { succeeded: 2 } })["status.successful"]).toBe("2");
  });
  test("unsupported field label", () => {
    expect(() => validateFieldSelector(info("", "Pod"), parseFieldSelector("spec.nodeName=x,metadata.name=y"))).not.toThrow();
    let e = err(() => validateFieldSelector(info("", "ConfigMap"), parseFieldSelector("foo=bar")));
    expect(e.code).toBe(400);
    expect(e.message).toBe(`"foo" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    e = err(() => validateFieldSelector(info("", "Pod"), parseFieldSelector("spec.foo=bar")));
    expect(e.message).toBe("field label not supported: spec.foo");
    e = err(() => validateFieldSelector(info("", "Node", false), parseFieldSelector("metadata.namespace=x")));
    expect(e.message).toBe("field label not supported: metadata.namespace");
    expect(() => validateFieldSelector(info("", "Service"), parseFieldSelector("spec.type=NodePort"))).not.toThrow();
    expect(() => validateFieldSelector({ ...info("", "ConfigMap"), fieldSelectors: ["foo"] }, parseFieldSelector("foo=bar"))).not.toThrow();
  });
});
