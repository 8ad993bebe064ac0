import { expect, test } from "bun:test";
import { exitStatusJson, exitStatusText } from "./status.ts";

test("exit statuses as the kubelet writes them", () => {
  expect(exitStatusJson({ exitCode: 0 }, ["true"])).toBe('{"metadata":{},"status":"Success"}');
  expect(JSON.parse(exitStatusJson({ exitCode: 2 }, ["ls", "/x"]))).toEqual({
    metadata: {},
    status: "Failure",
    message: "command terminated with non-zero exit code: error executing command [ls /x], exit code 2",
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: "2" }] },
  });
  expect(JSON.parse(exitStatusJson({ error: "no such container" }, []))).toMatchObject({
    status: "Failure",
    reason: "InternalError",
    code: 500,
    message: "Internal error occurred: error executing command in container: no such container",
  });
  expect(exitStatusText({ exitCode: 0 }, ["x"])).toBe("");
  expect(exitStatusText({ exitCode: 1 }, [])).toBe("command terminated with non-zero exit code: exit code 1");
});
