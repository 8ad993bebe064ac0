import { expect, test } from "bun:test";
import { flagBool, parseArgs, parseDuration, UsageError } from "./args.ts";

const spec = { bool: ["watch", "all-namespaces", "stdin", "tty"], short: { w: "watch", A: "all-namespaces", n: "namespace", o: "output", i: "stdin", t: "tty", f: "filename" }, multi: ["filename"] };

test("long, short, bundled and = forms; flags anywhere; -- ends flags", () => {
  const p = parseArgs(["get", "-n", "kube-system", "pods", "-oyaml", "--selector=app=x", "-A", "-w=false", "-it", "-f", "a", "-f=b", "--", "sh", "-c", "ls"], spec);
  expect(p.positionals).toEqual(["get", "pods"]);
  expect(p.flags.get("namespace")).toBe("kube-system");
  expect(p.flags.get("output")).toBe("yaml");
  expect(p.flags.get("selector")).toBe("app=x");
  expect(flagBool(p, "all-namespaces")).toBe(true);
  expect(flagBool(p, "watch")).toBe(false);
  expect(flagBool(p, "stdin") && flagBool(p, "tty")).toBe(true);
  expect(p.multi.get("filename")).toEqual(["a", "b"]);
  expect(p.rest).toEqual(["sh", "-c", "ls"]);
});

test("a value flag at the end and an unknown shorthand are usage errors", () => {
  expect(() => parseArgs(["get", "-n"], spec)).toThrow(UsageError);
  expect(() => parseArgs(["get", "-Z"], spec)).toThrow(/unknown shorthand flag: 'Z'/);
  expect(parseArgs(["-"], spec).positionals).toEqual(["-"]);
});

test("Go durations", () => {
  expect(parseDuration("30s")).toBe(30_000);
  expect(parseDuration("1m30s")).toBe(90_000);
  expect(parseDuration("500ms")).toBe(500);
  expect(parseDuration("2h")).toBe(7_200_000);
  expect(parseDuration("5")).toBe(5000);
  expect(() => parseDuration("soon")).toThrow(UsageError);
});
