// What goes on the error channel when the command ends. v4+ protocols carry a JSON
// metav1.Status (kubectl turns NonZeroExitCode into its own exit code); older ones plain text.
import type { RemoteCommandResult } from "./types.ts";

export function exitStatusJson(result: RemoteCommandResult, command: string[]): string {
  if ("error" in result) {
    const message = `error executing command in container: ${result.error}`;
    return JSON.stringify({
      metadata: {},
      status: "Failure",
      message: `Internal error occurred: ${message}`,
      reason: "InternalError",
      details: { causes: [{ message }] },
      code: 500,
    });
  }
  if (result.exitCode === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: ${exitErrorText(result.exitCode, command)}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(result.exitCode) }] },
  });
}

/** v1–v3: the error text, or nothing on success. */
export function exitStatusText(result: RemoteCommandResult, command: string[]): string {
  if ("error" in result) return `error executing command in container: ${result.error}`;
  if (result.exitCode === 0) return "";
  return `command terminated with non-zero exit code: ${exitErrorText(result.exitCode, command)}`;
}

const exitErrorText = (code: number, command: string[]) =>
  command.length ? `error executing command [${command.join(" ")}], exit code ${code}` : `exit code ${code}`;
