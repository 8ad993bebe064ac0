// What every verb gets: the parsed global flags, the connection, lazy discovery and the streams.
import type { Conn, KubectlEnv } from "./conn.ts";
import { discover, type ApiResource } from "./discovery.ts";

export interface KubectlIO {
  env: KubectlEnv;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

export interface Ctx {
  io: KubectlIO;
  conn: Conn;
  /** -n, else the context's namespace, else "default". */
  namespace: string;
  /** True when -n was given explicitly. */
  namespaceExplicit: boolean;
  kubeconfigPath: string;
  resources(): Promise<ApiResource[]>;
  out(s: string): void;
  err(s: string): void;
}

export function makeCtx(io: KubectlIO, conn: Conn, kubeconfigPath: string, ns: string | undefined): Ctx {
  let disc: Promise<ApiResource[]> | undefined;
  return {
    io,
    conn,
    kubeconfigPath,
    namespace: ns || conn.creds.namespace || "default",
    namespaceExplicit: !!ns,
    resources: () => (disc ??= discover(conn)),
    out: (s) => void io.stdout.write(s),
    err: (s) => void io.stderr.write(s),
  };
}

/** Exit code carrier: a failure already reported in kubectl's words. */
export class CmdError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}
