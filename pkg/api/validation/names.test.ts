import { describe, expect, test } from "bun:test";
import { formatLabelSelectorValue, formatValue, invalid, notSupported, required, tooLong } from "./field.ts";
import { isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidLabelValue, isValidPathSegmentName, isValidPortName, nameIsDNSLabel } from "./names.ts";
import { cronError } from "./cron.ts";
import { canonicalQuantity, compareQuantities, parseQuantity } from "./quantity.ts";

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("name checkers", () => {
  test("DNS-1123 subdomain", () => {
    expect(isDNS1123Subdomain("example.com")).toEqual([]);
    expect(isDNS1123Subdomain("Bad_Name")).toEqual([SUBDOMAIN_MSG]);
    expect(isDNS1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });
  test("DNS-1123 label and 1035 label", () => {
    expect(isDNS1123Label("my-ns")).toEqual([]);
    expect(isDNS1123Label("a.b")).toEqual(["must not contain dots"]);
    expect(isDNS1123Label("A")).toEqual([
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(isDNS1123Label("x".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isDNS1035Label("1abc")).toEqual([
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });
  test("qualified names and label values", () => {
    expect(isQualifiedName("example.com/my-key")).toEqual([]);
    expect(isQualifiedName("/a")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("a/b/c")[0]).toStartWith("a qualified name must consist of alphanumeric characters");
    expect(isQualifiedName("Bad_Pre/x")[0]).toStartWith("prefix part a lowercase RFC 1123 subdomain");
    expect(isQualifiedName("-x")).toEqual([
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ]);
    expect(isValidLabelValue("")).toEqual([]);
    expect(isValidLabelValue("a b")).toEqual([
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
  });
  test("path segments, ports, keys, env names, generateName prefixes", () => {
    expect(isValidPathSegmentName("a/b")).toEqual(["may not contain '/'"]);
    expect(isValidPathSegmentName("..")).toEqual(["may not be '..'"]);
    expect(isValidPathSegmentName("system:admin")).toEqual([]);
    expect(isValidPortName("http")).toEqual([]);
    expect(isValidPortName("123")).toEqual(["must contain at least one letter (a-z)"]);
    expect(isValidPortName("a--b")).toEqual(["must not contain consecutive hyphens"]);
    expect(isValidPortName("a-very-long-port-name")).toEqual(["must be no more than 15 characters"]);
    expect(isConfigMapKey("..a")).toEqual(["must not start with '..'"]);
    expect(isConfigMapKey("a b")[0]).toStartWith("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
    expect(isEnvVarName("1X")[0]).toStartWith("a valid environment variable name must consist of alphabetic characters");
    expect(nameIsDNSLabel("web-", true)).toEqual([]);
    expect(nameIsDNSLabel("web-", false).length).toBe(1);
  });
});

describe("field errors render like kubectl", () => {
  test("messages", () => {
    expect(required("spec.containers[0].image").message).toBe("Required value");
    expect(required("metadata.name", "name or generateName is required").message).toBe("Required value: name or generateName is required");
    expect(invalid("spec.replicas", -1, "must be greater than or equal to 0").message).toBe("Invalid value: -1: must be greater than or equal to 0");
    expect(notSupported("spec.restartPolicy", "Foo", ["Always", "OnFailure", "Never"]).message).toBe('Unsupported value: "Foo": supported values: "Always", "OnFailure", "Never"');
    expect(tooLong("metadata.annotations", 262144).message).toBe("Too long: may not be more than 262144 bytes");
    expect(formatValue({ b: "2", a: "1" })).toBe('map[string]string{"a":"1", "b":"2"}');
    expect(formatValue(["x"])).toBe('[]string{"x"}');
    expect(formatValue([])).toBe("[]string{}");
    expect(formatValue({ a: { b: null, c: [1, "x"] }, d: true })).toBe('map[string]interface {}{"a":map[string]interface {}{"b":interface {}(nil), "c":[]interface {}{1, "x"}}, "d":true}');
    expect(formatLabelSelectorValue({ matchLabels: { app: "x" } })).toBe('v1.LabelSelector{MatchLabels:map[string]string{"app":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
    expect(formatLabelSelectorValue({ matchExpressions: [{ key: "a", operator: "In", values: ["b"] }] })).toBe(
      'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"a", Operator:"In", Values:[]string{"b"}}}}',
    );
  });
});

describe("cron schedules (robfig/cron messages)", () => {
  test("valid", () => {
    for (const s of ["*/5 * * * *", "0 0 * * 0", "0 9-17 * * mon-fri", "@hourly", "@every 1h30m", "15,45 */2 1 jan,jul *", "CRON_TZ=UTC 0 * * * *"]) expect([s, cronError(s)]).toEqual([s, undefined]);
  });
  test("invalid", () => {
    expect(cronError("foo")).toBe("expected exactly 5 fields, found 1: [foo]");
    expect(cronError("61 * * * *")).toBe("end of range (61) above maximum (59): 61");
    expect(cronError("* * 0 * *")).toBe("beginning of range (0) below minimum (1): 0");
    expect(cronError("5-1 * * * *")).toBe("beginning of range (5) beyond end of range (1): 5-1");
    expect(cronError("x * * * *")).toBe('failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
    expect(cronError("*/0 * * * *")).toBe("step of range should be a positive number: */0");
    expect(cronError("@sometimes")).toBe("unrecognized descriptor: @sometimes");
  });
});

describe("quantities", () => {
  test("parse", () => {
    expect(parseQuantity("500m")).toBe(0.5);
    expect(parseQuantity("1Gi")).toBe(2 ** 30);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity("1 Gi")).toBeUndefined();
    expect(parseQuantity("abc")).toBeUndefined();
    expect(compareQuantities("1Gi", "1024Mi")).toBe(0);
    expect(compareQuantities("0.1", "100m")).toBe(0);
    expect(compareQuantities("2", "1999m")).toBe(1);
  });
  test("canonical form as Quantity.String()", () => {
    const cases: Array<[string, string]> = [["2", "2"], ["2000m", "2"], ["0.5", "500m"], ["1.5", "1500m"], ["2000", "2k"], ["1024Mi", "1Gi"], ["1536Mi", "1536Mi"], ["128974848", "128974848"], ["1e3", "1k"], ["0", "0"], ["100Ki", "100Ki"], ["1G", "1G"]];
    for (const [q, want] of cases) expect([q, canonicalQuantity(q)]).toEqual([q, want]);
  });
});
