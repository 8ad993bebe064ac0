// Version reported by /version, `kubun --version`, the node and the runtime.
declare const KUBUN_BUILD_COMMIT: string | undefined;
declare const KUBUN_BUILD_DATE: string | undefined;

export const kubernetesVersion = "v1.33.0";
export const kubernetesMajor = "1";
export const kubernetesMinor = "33";

/** Short commit baked in by the build (`dev` when run from source). */
export const buildCommit: string = typeof KUBUN_BUILD_COMMIT === "string" ? KUBUN_BUILD_COMMIT : "dev";
export const buildDate: string = typeof KUBUN_BUILD_DATE === "string" ? KUBUN_BUILD_DATE : "1970-01-01T00:00:00Z";

/** e.g. v1.33.0+kubun.1a2b3c4 */
export const kubunVersion = `${kubernetesVersion}+kubun.${buildCommit}`;

export function versionInfo() {
  return {
    major: kubernetesMajor,
    minor: kubernetesMinor,
    gitVersion: kubunVersion,
    gitCommit: buildCommit,
    gitTreeState: "clean",
    buildDate,
    goVersion: `bun${typeof Bun !== "undefined" ? Bun.version : ""}`,
    compiler: "bun",
    platform: `linux/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}
