import { expect, test } from "bun:test";
import { parsePortsQuery, parseRemoteCommandQuery } from "./query.ts";

test("exec query: repeated command, booleans as true/1/True", () => {
  const u = new URL("http://x/exec?command=sh&command=-c&command=echo%20hi&container=c&stdin=1&stdout=true&stderr=True&tty=false");
  expect(parseRemoteCommandQuery(u)).toEqual({
    command: ["sh", "-c", "echo hi"],
    container: "c",
    stdin: true,
    stdout: true,
    stderr: true,
    tty: false,
  });
  expect(parseRemoteCommandQuery(new URL("http://x/attach"))).toEqual({ command: [], stdin: false, stdout: false, stderr: false, tty: false });
});

test("ports query: repeated or comma-separated, validated", () => {
  expect(parsePortsQuery(new URL("http://x/?ports=80&ports=8080,9090"))).toEqual([80, 8080, 9090]);
  expect(parsePortsQuery(new URL("http://x/"))).toEqual([]);
  expect(() => parsePortsQuery(new URL("http://x/?ports=0"))).toThrow('invalid port "0"');
  expect(() => parsePortsQuery(new URL("http://x/?ports=http"))).toThrow('invalid port "http"');
});
