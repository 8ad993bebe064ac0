// exec/attach over the WebSocket channel protocols (kubectl 1.30+ uses v5.channel.k8s.io).
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { Duplex } from "node:stream";
import { finish, outputStream } from "./output.ts";
import { ResizeQueue } from "./resize.ts";
import { exitStatusJson, exitStatusText } from "./status.ts";
import type { RemoteCommandOptions, RemoteCommandProtocol, RemoteCommandResult, RemoteCommandSession } from "./types.ts";
import { acceptWebSocket, channelCodec, closeWebSocket, isBase64Protocol, sendChannel } from "./websocket.ts";

export const WS_REMOTE_COMMAND_PROTOCOLS = [
  "v5.channel.k8s.io",
  "v4.channel.k8s.io",
  "v4.base64.channel.k8s.io",
  "base64.channel.k8s.io",
  "channel.k8s.io",
] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

// client-go (kubectl 1.30+) starts reading before it has registered its streams and drops
// messages for streams it doesn't know yet; a command that answers within microseconds of the
// handshake loses its output. So output waits until the client has spoken or this long has passed.
const CLIENT_SETTLE_MS = 50;

export async function acceptWebSocketRemoteCommand(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  opts: RemoteCommandOptions,
  command: string[],
): Promise<RemoteCommandSession> {
  const { ws, protocol: negotiated } = await acceptWebSocket(req, socket, head, WS_REMOTE_COMMAND_PROTOCOLS, "channel.k8s.io");
  const protocol = negotiated as RemoteCommandProtocol;
  const codec = channelCodec(isBase64Protocol(protocol));
  const jsonStatus = protocol.startsWith("v4.") || protocol.startsWith("v5.");
  const supportsClose = protocol.startsWith("v5.");

  const stdin = opts.stdin ? new Readable({ read: () => ws.resume() }) : undefined;
  const resize = new ResizeQueue();
  const closed = new Promise<void>((resolve) => ws.once("close", () => resolve()));
  let stdinEnded = false; // pushing after EOF would make the Readable emit an error
  const endStdin = () => {
    if (stdin && !stdinEnded) stdin.push(null);
    stdinEnded = true;
  };
  const endInput = () => {
    endStdin();
    resize.end();
  };
  ws.on("close", endInput);
  ws.on("error", () => ws.terminate());

  let clientSpoke!: () => void;
  const settled = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLIENT_SETTLE_MS);
    clientSpoke = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  const send = (channel: number, data: Uint8Array) => settled.then(() => sendChannel(ws, codec, channel, data));

  ws.on("message", (message: Buffer, isBinary: boolean) => {
    clientSpoke();
    const m = codec.decode(message, isBinary);
    if (!m) return;
    if (supportsClose && m.channel === CLOSE) {
      if (m.data[0] === STDIN) endStdin();
      return;
    }
    if (m.channel === STDIN && stdin && !stdinEnded && m.data.length) {
      if (!stdin.push(Buffer.from(m.data))) ws.pause(); // the container reads slower than the client types
    } else if (m.channel === RESIZE && opts.tty) resize.feed(m.data);
  });

  const stdout = opts.stdout ? outputStream((b) => send(STDOUT, b)) : undefined;
  const stderr = opts.stderr && !opts.tty ? outputStream((b) => send(STDERR, b)) : undefined;

  // Like the kubelet: an empty message on the lowest writable channel tells the client we're ready.
  await sendChannel(ws, codec, stdout ? STDOUT : stderr ? STDERR : ERROR, new Uint8Array(0));

  let closing: Promise<void> | undefined;
  const close = (result: RemoteCommandResult) =>
    (closing ??= (async () => {
      await Promise.all([finish(stdout), finish(stderr)]);
      const text = jsonStatus ? exitStatusJson(result, command) : exitStatusText(result, command);
      if (text) await send(ERROR, Buffer.from(text));
      await closeWebSocket(ws);
      endInput();
    })());

  const session: RemoteCommandSession = { protocol, resize, close, closed };
  if (stdin) session.stdin = stdin;
  if (stdout) session.stdout = stdout;
  if (stderr) session.stderr = stderr;
  return session;
}
