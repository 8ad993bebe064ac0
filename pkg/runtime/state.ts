// Persisted container state: <stateDir>/<id>/state.json, rewritten atomically on every change.
import { readFileSync, writeFileSync, renameSync, readdirSync, existsSync } from "node:fs";
import { writeFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerSpec, ContainerStatus } from "./types.ts";

export interface ContainerRecord {
  spec: ContainerSpec;
  status: ContainerStatus;
  /** process start time (clock ticks since boot, /proc/<pid>/stat field 22): guards against pid reuse */
  startTime: number;
  /** FIFO paths for stdout/stderr/stdin; absent for tty containers */
  fifos: { stdout?: string; stderr?: string; stdin?: string };
}

export const containerDir = (stateDir: string, id: string) => join(stateDir, id);

export function saveRecord(stateDir: string, rec: ContainerRecord): void {
  const file = join(containerDir(stateDir, rec.spec.id), "state.json");
  writeFileSync(file + ".tmp", JSON.stringify(rec));
  renameSync(file + ".tmp", file);
}

/** saveRecord through the I/O thread pool (a new container's first record). */
export async function saveRecordAsync(stateDir: string, rec: ContainerRecord): Promise<void> {
  const file = join(containerDir(stateDir, rec.spec.id), "state.json");
  await writeFile(file + ".tmp", JSON.stringify(rec));
  await rename(file + ".tmp", file);
}

export function loadRecords(stateDir: string): ContainerRecord[] {
  if (!existsSync(stateDir)) return [];
  const out: ContainerRecord[] = [];
  for (const id of readdirSync(stateDir)) {
    try {
      out.push(JSON.parse(readFileSync(join(stateDir, id, "state.json"), "utf8")) as ContainerRecord);
    } catch {
      // a container whose start never completed: nothing to adopt
    }
  }
  return out;
}

/** Start time of a live process, or null when it is gone (or a zombie). */
export function processStartTime(pid: number): number | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = s.slice(s.lastIndexOf(")") + 2).split(" ");
    if (rest[0] === "Z" || rest[0] === "X") return null;
    return Number(rest[19]); // field 22 overall; rest starts at field 3
  } catch {
    return null;
  }
}
