// sd_notify(3) over the NOTIFY_SOCKET datagram socket: node's dgram has no AF_UNIX datagrams.
import { dlopen, ptr } from "bun:ffi";

let libc: ReturnType<typeof open> | undefined;
function open() {
  return dlopen("libc.so.6", {
    socket: { args: ["i32", "i32", "i32"], returns: "i32" },
    sendto: { args: ["i32", "ptr", "u64", "i32", "ptr", "u32"], returns: "i64" },
    close: { args: ["i32"], returns: "i32" },
  }).symbols;
}

/** Send a notification such as "READY=1"; returns false when it could not be delivered. */
export function sdNotify(socketPath: string, state: string): boolean {
  if (!socketPath) return false;
  libc ??= open();
  const path = Buffer.from(socketPath.startsWith("@") ? "\0" + socketPath.slice(1) : socketPath + "\0");
  if (path.length > 108) return false;
  const addr = Buffer.alloc(2 + 108);
  addr.writeUInt16LE(1, 0); // AF_UNIX
  path.copy(addr, 2);
  const fd = libc.socket(1, 2 | 0x80000, 0); // SOCK_DGRAM | SOCK_CLOEXEC
  if (fd < 0) return false;
  try {
    const msg = Buffer.from(state);
    return Number(libc.sendto(fd, ptr(msg), msg.length, 0, ptr(addr), 2 + path.length)) === msg.length;
  } finally {
    libc.close(fd);
  }
}
