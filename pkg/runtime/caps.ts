// Linux capabilities by name, and the default set containerd/runc give a container.
const NAMES = [
  "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE",
  "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO",
  "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
  "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
  "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
];

export const DEFAULT_CAPS = ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
  "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"];

/** "CAP_NET_ADMIN" or "NET_ADMIN" → bit number */
export function capNumber(name: string): number {
  const n = NAMES.indexOf(name.toUpperCase().replace(/^CAP_/, ""));
  if (n < 0) throw new Error(`unknown capability ${name}`);
  return n;
}

/** Kubernetes semantics: start from the default set, drop ("ALL" drops all) then add. */
export function capabilityMask(opts: { add?: string[]; drop?: string[]; privileged?: boolean }): bigint {
  if (opts.privileged) return (1n << BigInt(NAMES.length)) - 1n;
  let set = new Set(DEFAULT_CAPS);
  for (const d of opts.drop ?? []) {
    if (d.toUpperCase() === "ALL") set = new Set();
    else set.delete(d.toUpperCase().replace(/^CAP_/, ""));
  }
  for (const a of opts.add ?? []) {
    if (a.toUpperCase() === "ALL") NAMES.forEach((n) => set.add(n));
    else set.add(a.toUpperCase().replace(/^CAP_/, ""));
  }
  let mask = 0n;
  for (const n of set) mask |= 1n << BigInt(capNumber(n));
  return mask;
}
