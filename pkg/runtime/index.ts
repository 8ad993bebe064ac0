// The runtime package's public surface for the kubelet and cmd/.
export type * from "./types.ts";
export { LinuxRuntime, createRuntime, containerCgroupPath } from "./runtime.ts";
export { detectCgroupManager, parseMountinfo } from "./cgroups/detect.ts";
export { CgroupV1 } from "./cgroups/v1.ts";
export { CgroupV2 } from "./cgroups/v2.ts";
export { podCgroupPath, resourcesFromKubernetes, milliCpuToShares, sharesToWeight } from "./cgroups/resources.ts";
export { capabilityMask, DEFAULT_CAPS } from "./caps.ts";
export { resolveUser } from "./user.ts";
export { ContentStore } from "./images/store.ts";
export { importImageDir } from "./images/airgap.ts";
export { parseRef, normalizeRef, formatRef } from "./images/ref.ts";
export { SyscallError } from "../../ffi/libc.ts";
export { isMountPoint, mountTmpfs, unmountBelow } from "./hostmounts.ts";
export { runInNewNetns } from "./netns.ts";
export { spreadSubdirs } from "./fshints.ts";
