// kubectl exec (-i, -t): the v5/v4 channel WebSocket protocol — byte 0 of each frame is the
// stream (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize; v5: 255 closes a stream).
import { StatusError } from "../api/errors.ts";
import { flagBool, flagStr, UsageError, type ParsedArgs } from "./args.ts";
import { CmdError, type Ctx } from "./ctx.ts";
import type { Command } from "./index.ts";
import { containerFor, podFor } from "./pods.ts";
import { openChannelSocket } from "./wsconn.ts";
import { makeRaw } from "./rawterm.ts";

export interface ExecOptions {
  command: string[];
  container: string;
  stdin: boolean;
  tty: boolean;
}

/** Runs a command in a pod; resolves with its exit code (non-zero codes come from the status channel). */
export async function execInPod(ctx: Ctx, pod: any, o: ExecOptions, io: { stdin?: NodeJS.ReadableStream; stdout: (b: Buffer) => void; stderr: (b: Buffer) => void }): Promise<number> {
  const q = new URLSearchParams();
  for (const c of o.command) q.append("command", c);
  q.set("container", o.container);
  if (o.stdin) q.set("stdin", "true");
  q.set("stdout", "true");
  if (!o.tty) q.set("stderr", "true");
  if (o.tty) q.set("tty", "true");
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/exec?${q}`;
  const ws = await openChannelSocket(ctx, path, ["v5.channel.k8s.io", "v4.channel.k8s.io"]);
  const v5 = ws.protocol === "v5.channel.k8s.io";
  let status: any;
  const send = (ch: number, data: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([ch]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
  };
  const tty = ctx.io.stdout as any;
  const resize = () => {
    if (tty.columns && tty.rows) send(4, JSON.stringify({ Width: tty.columns, Height: tty.rows }));
  };
  const stdinStream = o.stdin ? io.stdin : undefined;
  const onData = (c: Buffer | string) => send(0, Buffer.isBuffer(c) ? c : Buffer.from(c));
  const onEnd = () => {
    if (v5 && ws.readyState === ws.OPEN) ws.send(Buffer.from([255, 0]));
  };
  const raw = o.tty && typeof (stdinStream as any)?.setRawMode === "function";
  let restore: (() => void) | undefined;
  try {
    if (raw) {
      (stdinStream as any).setRawMode(true);
      restore = makeRaw(typeof (stdinStream as any).fd === "number" ? (stdinStream as any).fd : 0);
    }
    if (o.tty) {
      resize();
      tty.on?.("resize", resize);
    }
    await new Promise<void>((resolve, reject) => {
      ws.on("message", (d: Buffer) => {
        if (!d.length) return;
        const ch = d[0]!;
        const body = d.subarray(1);
        if (ch === 1) io.stdout(body);
        else if (ch === 2) io.stderr(body);
        else if (ch === 3) {
          try {
            status = JSON.parse(body.toString("utf8"));
          } catch {
            status = { status: "Failure", message: body.toString("utf8") };
          }
        }
      });
      ws.on("close", () => resolve());
      ws.on("error", (e) => reject(e));
      if (stdinStream) {
        stdinStream.on("data", onData);
        stdinStream.on("end", onEnd);
        stdinStream.resume?.();
      }
    });
  } finally {
    if (stdinStream) {
      stdinStream.off("data", onData);
      stdinStream.off("end", onEnd);
      stdinStream.pause?.();
    }
    restore?.();
    if (raw) (stdinStream as any).setRawMode(false);
    tty.off?.("resize", resize);
  }
  if (!status || status.status === "Success") return 0;
  const exit = (status.details?.causes ?? []).find((c: any) => c.reason === "ExitCode");
  if (status.reason === "NonZeroExitCode" && exit) return Number(exit.message);
  throw new StatusError({ kind: "Status", apiVersion: "v1", metadata: {}, code: status.code ?? 500, reason: status.reason ?? "", status: "Failure", message: status.message ?? "error executing command" });
}

async function exec(ctx: Ctx, args: ParsedArgs): Promise<number> {
  const [ref] = args.positionals;
  if (!ref) throw new UsageError("expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command");
  if (!args.rest.length) throw new UsageError("you must specify at least one command for the container");
  const pod = await podFor(ctx, ref);
  if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") {
    throw new CmdError(`error: cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  }
  const container = containerFor(ctx, pod, flagStr(args, "container"), flagBool(args, "quiet"));
  let tty = flagBool(args, "tty");
  const stdin = flagBool(args, "stdin");
  if (tty && !stdin) {
    ctx.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    tty = false;
  } else if (tty && !ctx.io.isTTY) {
    ctx.err("Unable to use a TTY - input is not a terminal or the right kind of file\n");
    tty = false;
  }
  const code = await execInPod(ctx, pod, { command: args.rest, container, stdin, tty }, {
    stdin: ctx.io.stdin,
    stdout: (b) => void ctx.io.stdout.write(b),
    stderr: (b) => void ctx.io.stderr.write(b),
  });
  if (code !== 0) ctx.err(`command terminated with exit code ${code}\n`);
  return code;
}

export const execCommand: Command = {
  summary: "Execute a command in a container",
  flags: { bool: ["stdin", "tty", "quiet"], short: { i: "stdin", t: "tty", c: "container", q: "quiet" } },
  run: exec,
};
