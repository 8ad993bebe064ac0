// OCI / Docker manifest media types and platform selection from an index (manifest list).
export const MEDIA = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
  urls?: string[];
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export function hostPlatform(): Platform {
  const arch = process.arch === "x64" ? "amd64" : process.arch === "arm64" ? "arm64" : process.arch === "arm" ? "arm" : process.arch;
  return { os: "linux", architecture: arch, variant: arch === "arm64" ? "v8" : undefined };
}

/** Pick the manifest for a platform (containerd's matcher, simplified: os+arch, variant when both name one). */
export function selectPlatform(manifests: Descriptor[], want: Platform = hostPlatform()): Descriptor {
  const candidates = manifests.filter((m) => !m.platform || (m.platform.os === want.os && m.platform.architecture === want.architecture));
  const exact = candidates.find((m) => !want.variant || !m.platform?.variant || m.platform.variant === want.variant);
  if (!exact) {
    const have = manifests.map((m) => (m.platform ? `${m.platform.os}/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ""}` : "?")).join(", ");
    throw new Error(`no manifest for platform ${want.os}/${want.architecture} (image has: ${have || "none"})`);
  }
  return exact;
}
