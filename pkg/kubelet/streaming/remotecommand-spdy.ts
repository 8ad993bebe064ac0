// exec/attach over SPDY/3.1 (kubectl ≤ 1.29): the client opens one stream per role, named
// by the `streamtype` header; we wait for all the expected ones, then run the session.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { badRequest, timeout as timeoutError } from "../../api/errors.ts";
import { acceptSpdyUpgrade, failUpgrade, headerList, negotiate } from "./http.ts";
import { finish, outputStream } from "./output.ts";
import { ResizeQueue } from "./resize.ts";
import { SpdySession, type SpdyStream } from "./spdy/session.ts";
import { exitStatusJson, exitStatusText } from "./status.ts";
import { socketTransport } from "./transport.ts";
import type { RemoteCommandOptions, RemoteCommandProtocol, RemoteCommandResult, RemoteCommandSession } from "./types.ts";

export const SPDY_REMOTE_COMMAND_PROTOCOLS = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

const STREAM_TYPES = ["error", "stdin", "stdout", "stderr", "resize"] as const;
type StreamType = (typeof STREAM_TYPES)[number];

export async function acceptSpdyRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
  command: string[],
  streamTimeoutMs = 30_000,
): Promise<RemoteCommandSession> {
  const offered = headerList(req, "x-stream-protocol-version");
  const chosen = offered.length ? negotiate(offered, SPDY_REMOTE_COMMAND_PROTOCOLS) : "channel.k8s.io";
  if (!chosen) {
    throw failUpgrade(
      socket,
      badRequest(`unable to upgrade: unable to negotiate protocol: client supports [${offered.join(" ")}], server accepts [${SPDY_REMOTE_COMMAND_PROTOCOLS.join(" ")}]`),
    );
  }
  const version = chosen === "channel.k8s.io" ? 1 : Number(chosen[1]);
  acceptSpdyUpgrade(socket, offered.length ? chosen : undefined);

  const expected = new Set<StreamType>(["error"]);
  if (opts.stdin) expected.add("stdin");
  if (opts.stdout) expected.add("stdout");
  if (opts.tty && version >= 3) expected.add("resize");
  else if (opts.stderr && !opts.tty) expected.add("stderr");

  const streams = new Map<StreamType, SpdyStream>();
  let ready!: () => void;
  const allThere = new Promise<void>((r) => (ready = r));
  const session = new SpdySession(socketTransport(socket, head), (stream) => {
    const type = stream.headers["streamtype"] as StreamType;
    if (!STREAM_TYPES.includes(type) || streams.has(type)) return "reject";
    streams.set(type, stream);
    if ([...expected].every((t) => streams.has(t))) ready();
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    allThere.then(() => "ok" as const),
    session.done.then(() => "gone" as const),
    new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), streamTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== "ok") {
    session.destroy();
    throw outcome === "timeout"
      ? timeoutError("timed out waiting for client to create streams")
      : badRequest("connection closed before all streams were created");
  }

  const errorStream = streams.get("error")!;
  const out = (s: SpdyStream | undefined) => (s ? outputStream((b) => s.write(b), () => s.end()) : undefined);
  const stdout = out(streams.get("stdout"));
  const stderr = opts.tty ? undefined : out(streams.get("stderr"));
  const resize = new ResizeQueue();
  const resizeStream = streams.get("resize");
  if (resizeStream) {
    resizeStream.readable.on("data", (d: Buffer) => resize.feed(d));
    resizeStream.readable.on("end", () => resize.end());
  }
  session.done.then(() => resize.end());

  let closing: Promise<void> | undefined;
  const close = (result: RemoteCommandResult) =>
    (closing ??= (async () => {
      await Promise.all([finish(stdout), finish(stderr)]);
      const text = version >= 4 ? exitStatusJson(result, command) : exitStatusText(result, command);
      if (text) await errorStream.write(Buffer.from(text));
      await errorStream.end();
      for (const s of streams.values()) await s.end();
      await session.close();
      resize.end();
    })());

  const protocol = `spdy/${chosen}` as RemoteCommandProtocol;
  const result: RemoteCommandSession = { protocol, resize, close, closed: session.done };
  const stdinStream = streams.get("stdin");
  if (opts.stdin && stdinStream) result.stdin = stdinStream.readable;
  if (stdout) result.stdout = stdout;
  if (stderr) result.stderr = stderr;
  return result;
}
