// The runtime contract consumed by the kubelet: containers, cgroups and images.

/** A bind mount (volume, projected file, /etc/hosts …) into the container. */
export interface MountSpec {
  /** host path */
  source: string;
  /** absolute path inside the container */
  target: string;
  readOnly?: boolean;
  /** mount propagation (Kubernetes mountPropagation None/HostToContainer/Bidirectional) */
  propagation?: "private" | "rslave" | "rshared";
}

/** Container resources as cgroup settings (see resourcesFromKubernetes in cgroups/resources.ts). */
export interface CgroupResources {
  /** v1 cpu.shares (2..262144); converted to cpu.weight on v2 */
  cpuShares?: number;
  /** CFS quota in µs per period; undefined/-1 = unlimited */
  cpuQuotaUs?: number;
  cpuPeriodUs?: number;
  memoryLimitBytes?: number;
  pidsLimit?: number;
  /** device access: runc's default allowlist for containers, or everything (privileged). v1 only. */
  devices?: "default" | "all";
}

export type QosClass = "Guaranteed" | "Burstable" | "BestEffort";

export interface ContainerSpec {
  /** unique container id (also the cgroup and state directory name) */
  id: string;
  /** the pod this container belongs to (pod UID) */
  podId: string;
  /** image layer directories, lowest first (from ImageStore.resolve) */
  layers: string[];
  argv: string[];
  /** the program to execute when argv[0] is a bare name (PATH lookup done by the caller) */
  path?: string;
  env: string[];
  cwd?: string;
  hostname?: string;
  mounts?: MountSpec[];
  /** host files bind-mounted as /etc/hosts, /etc/hostname, /etc/resolv.conf */
  etcHosts?: string;
  etcHostname?: string;
  etcResolvConf?: string;
  /** path of the pod network namespace (e.g. /var/run/netns/cni-…); absent = a fresh empty one */
  netnsPath?: string | null;
  /** pid of a container whose IPC/UTS/PID namespaces are shared by the pod (the sandbox or first container) */
  sharedIpcFrom?: number;
  sharedUtsFrom?: number;
  sharedPidFrom?: number;
  user?: { uid: number; gid: number; groups?: number[] };
  capabilities?: { add?: string[]; drop?: string[] };
  /** all capabilities, no masked paths, writable /sys */
  privileged?: boolean;
  noNewPrivileges?: boolean;
  readOnlyRoot?: boolean;
  /** cgroup parent of the pod relative to the runtime's cgroup root, e.g. kubepods/burstable/pod<uid> */
  cgroupParent: string;
  resources?: CgroupResources;
  tty?: boolean;
  stdin?: boolean;
  /** keep stdin open after the first attach closes it (Kubernetes stdinOnce=false) */
  stdinOnce?: boolean;
  /** CRI-format log file */
  logPath: string;
}

export type ContainerState = "created" | "running" | "exited" | "unknown";

export interface ContainerStatus {
  id: string;
  podId: string;
  state: ContainerState;
  pid: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  /** OOMKilled, Error, Completed, ContainerStatusUnknown (died while kubun was down) */
  reason?: string;
  message?: string;
  logPath: string;
  /** container cgroup path relative to the runtime cgroup root */
  cgroupPath: string;
}

export interface ContainerStats {
  /** cumulative CPU time in nanoseconds */
  cpuUsageNs: number;
  /** memory usage minus inactive file cache (what the kubelet evicts on) */
  memoryWorkingSetBytes: number;
  memoryUsageBytes: number;
  pids: number;
  /** CFS periods throttled so far */
  cpuThrottledPeriods: number;
  timestamp: number;
}

export interface ExecOptions {
  argv: string[];
  /** the program to execute when argv[0] is a bare name */
  path?: string;
  env?: string[];
  cwd?: string;
  user?: { uid: number; gid: number; groups?: number[] };
  tty?: boolean;
  stdin?: boolean;
}

/** A process started with Runtime.exec: streams are raw bytes; resize works when tty. */
export interface ExecProcess {
  pid: number;
  /** write to the process's stdin (when opened with stdin) */
  write(data: Uint8Array | string): void;
  /** close stdin */
  closeStdin(): void;
  onStdout(fn: (chunk: Uint8Array) => void): void;
  onStderr(fn: (chunk: Uint8Array) => void): void;
  resize(rows: number, cols: number): void;
  kill(signal?: number): void;
  /** resolves with the exit code once the process and its output streams are done */
  exited: Promise<number>;
}

/** Attach to a running container's stdin/tty. */
export interface AttachStream {
  write(data: Uint8Array | string): void;
  resize(rows: number, cols: number): void;
  closeStdin(): void;
}

export interface Runtime {
  /** Create and start a container; resolves once its process is running (execve done). */
  start(spec: ContainerSpec): Promise<ContainerStatus>;
  /** SIGTERM the container, then SIGKILL every process in its cgroup after graceSeconds. Resolves when it exited. */
  stop(id: string, graceSeconds: number): Promise<ContainerStatus>;
  /** Send a signal to the container's main process (SIGKILL kills its whole cgroup). */
  kill(id: string, signal: number): void;
  /** Resolve once the container exited (rejects after timeoutMs). */
  wait(id: string, timeoutMs?: number): Promise<ContainerStatus>;
  /** Follow raw output of a running container (attach). Returns an unsubscribe function. */
  subscribe(id: string, fn: (stream: "stdout" | "stderr", chunk: Uint8Array) => void): () => void;
  status(id: string): ContainerStatus | undefined;
  list(filter?: { podId?: string }): ContainerStatus[];
  exec(id: string, opts: ExecOptions): ExecProcess;
  attach(id: string): AttachStream;
  /** Remove an exited container's state, cgroup and writable layer (not its log). */
  remove(id: string): Promise<void>;
  stats(id: string): ContainerStats;
  /** Re-open the log file after the kubelet rotated it (CRI ReopenContainerLog). */
  reopenLog(id: string): void;
  /** Called on any state change (exit, OOM) so the kubelet can resync. */
  onEvent(fn: (status: ContainerStatus) => void): () => void;
  /** Re-adopt containers recorded in the state dir (done by the factory; exposed for tests). */
  adopt(): Promise<ContainerStatus[]>;
  /** Stop watching (does not stop containers: they outlive kubun). */
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** per-container state (state.json, FIFOs, upper/work dirs), e.g. /var/lib/kubun/agent/containers */
  stateDir: string;
  /** cgroup root relative to each hierarchy, e.g. /kubun or /kubun-test-xyz/kubun */
  cgroupRoot: string;
  /** where the C helper source is written briefly for compilation (default: the OS temp dir) */
  ffiCacheDir?: string;
  /** how often exits and output are polled (ms, default 50) */
  pollIntervalMs?: number;
  /** cgroup manager to use (default: detected from /proc/self/mountinfo) */
  cgroups?: CgroupManager;
}

/** The cgroup driver: v1 (a directory per controller) or v2 (one unified directory). */
export interface CgroupManager {
  readonly version: 1 | 2;
  /** absolute root (under each hierarchy) all paths below are relative to */
  readonly root: string;
  /** create the group (and ancestors) and apply resources */
  create(path: string, resources?: CgroupResources): void;
  /** create() with its mkdirs and writes on the I/O thread pool instead of the event loop (optional) */
  createAsync?(path: string, resources?: CgroupResources): Promise<void>;
  update(path: string, resources: CgroupResources): void;
  /** the cgroup.procs files to write a new pid into (one per hierarchy) */
  procsFiles(path: string): string[];
  /** the cgroup2 group (among procsFiles' dirs) a new process can be cloned straight into, if any */
  intoDir?(path: string): string | null;
  pids(path: string): number[];
  /** SIGKILL every process of the group (and its descendants); true when empty afterwards */
  killAll(path: string): boolean;
  /** number of OOM kills recorded in the group */
  oomKills(path: string): number;
  stats(path: string): ContainerStats;
  exists(path: string): boolean;
  /** remove the group and its empty descendants (processes must be gone) */
  destroy(path: string): void;
}

export interface ImageRecord {
  /** manifest digest: the image id used by the kubelet (imageID) */
  id: string;
  /** references pointing at it, normalised (docker.io/library/busybox:latest) */
  refs: string[];
  configDigest: string;
  /** layer diff ids (uncompressed digests), lowest first */
  diffIds: string[];
  /** bytes on disk (compressed blobs) */
  size: number;
  /** last time a container used it (ms since epoch), for GC */
  lastUsed: number;
}

export interface ResolvedImage {
  record: ImageRecord;
  /** unpacked layer directories, lowest first: overlay lower dirs */
  layerDirs: string[];
  /** the OCI image config (config.Env, Cmd, Entrypoint, WorkingDir, User …) */
  config: ImageConfig;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  config?: { Env?: string[]; Cmd?: string[]; Entrypoint?: string[]; WorkingDir?: string; User?: string; ExposedPorts?: Record<string, unknown> };
  rootfs: { type: string; diff_ids: string[] };
}

/** registries.yaml as k3s defines it (parsed by the caller). */
export interface RegistriesConfig {
  mirrors?: Record<string, { endpoint?: string[]; rewrite?: Record<string, string> }>;
  configs?: Record<string, { auth?: { username?: string; password?: string; auth?: string; identitytoken?: string }; tls?: { insecure_skip_verify?: boolean }; insecure?: boolean }>;
}

export interface PullOptions {
  /** credentials from image pull secrets: registry host → user/password */
  credentials?: Record<string, { username: string; password: string }>;
  platform?: { os: string; architecture: string; variant?: string };
  onProgress?: (p: { layer: string; done: number; total: number }) => void;
}

export interface ImageStore {
  /** import a docker-save or OCI-layout archive (plain, gzip or zstd); returns the images found */
  importArchive(path: string, opts?: { name?: string }): Promise<ImageRecord[]>;
  pull(ref: string, opts?: PullOptions): Promise<ImageRecord>;
  list(): ImageRecord[];
  /** find by reference, short name or id */
  get(refOrId: string): ImageRecord | undefined;
  /** untag a reference, or remove the image by id; unused layers go at the next gc */
  remove(refOrId: string): Promise<void>;
  resolve(refOrId: string): ResolvedImage;
  /** delete blobs and layers no image references; images in keep are spared. Returns bytes freed. */
  gc(opts?: { keep?: string[]; removeUnusedImages?: boolean }): Promise<number>;
}
