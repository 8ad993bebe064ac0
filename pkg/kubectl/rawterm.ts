// Raw mode for `exec -it` as Go's term.MakeRaw does it. Bun's setRawMode leaves output
// post-processing on, so the container's "\r\n" would reach the screen as "\r\r\n".
import { dlopen, FFIType, ptr } from "bun:ffi";

// struct termios (Linux): c_iflag, c_oflag, c_cflag, c_lflag (u32 each), c_line, c_cc[32], speeds.
const TERMIOS_SIZE = 64;
const IGNBRK = 0o1, BRKINT = 0o2, PARMRK = 0o10, ISTRIP = 0o40, INLCR = 0o100, IGNCR = 0o200, ICRNL = 0o400, IXON = 0o2000;
const OPOST = 0o1;
const ECHO = 0o10, ECHONL = 0o100, ICANON = 0o2, ISIG = 0o1, IEXTEN = 0o100000;
const CSIZE = 0o60, PARENB = 0o400, CS8 = 0o60;

let lib: { tcgetattr(fd: number, p: unknown): number; tcsetattr(fd: number, act: number, p: unknown): number } | undefined;
function libc() {
  lib ??= dlopen("libc.so.6", {
    tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
    tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  }).symbols as any;
  return lib!;
}

/** Puts the terminal on `fd` in raw mode; returns a function restoring it, or undefined if `fd` is no terminal. */
export function makeRaw(fd: number): (() => void) | undefined {
  const saved = new Uint8Array(TERMIOS_SIZE);
  if (libc().tcgetattr(fd, ptr(saved)) !== 0) return undefined;
  const t = new Uint8Array(saved);
  const v = new DataView(t.buffer);
  const le = true;
  v.setUint32(0, v.getUint32(0, le) & ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON), le);
  v.setUint32(4, v.getUint32(4, le) & ~OPOST, le);
  v.setUint32(12, v.getUint32(12, le) & ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN), le);
  v.setUint32(8, (v.getUint32(8, le) & ~(CSIZE | PARENB)) | CS8, le);
  // VMIN=1, VTIME=0 (c_cc starts at offset 17; VTIME is index 5, VMIN index 6).
  t[17 + 5] = 0;
  t[17 + 6] = 1;
  if (libc().tcsetattr(fd, 0, ptr(t)) !== 0) return undefined;
  return () => void libc().tcsetattr(fd, 0, ptr(saved));
}
