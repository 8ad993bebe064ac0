// CRI log rotation: at 10 MiB the file becomes <n>.log.1 (older ones shift up to .4, five files in
// all) and the runtime reopens a fresh one.
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import type { Runtime } from "../runtime/types.ts";

export const MAX_LOG_BYTES = 10 * 1024 * 1024, MAX_LOG_FILES = 5;

export function rotateFile(path: string, maxFiles = MAX_LOG_FILES): void {
  rmSync(`${path}.${maxFiles - 1}`, { force: true });
  for (let i = maxFiles - 2; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
  renameSync(path, `${path}.1`);
}

export function rotateLogs(runtime: Runtime, maxBytes = MAX_LOG_BYTES): void {
  const rt = runtime as Runtime & { reopenLog?(id: string): void };
  for (const s of runtime.list()) {
    if (s.state !== "running" || !rt.reopenLog) continue;
    try {
      if (statSync(s.logPath).size < maxBytes) continue;
      rotateFile(s.logPath);
      rt.reopenLog(s.id);
    } catch {
      // no log yet
    }
  }
}
