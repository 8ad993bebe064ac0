// imagePullPolicy and pull back-off (upstream's kuberuntime image manager): ErrImagePull on a failed
// pull, ImagePullBackOff while backing off, ErrImageNeverPull with policy Never.
import type { ImageStore, ResolvedImage } from "../runtime/types.ts";
import { parseRef } from "../runtime/images/ref.ts";
import { Backoff } from "./backoff.ts";

export class ImageError extends Error {
  constructor(readonly reason: "ErrImagePull" | "ImagePullBackOff" | "ErrImageNeverPull" | "InvalidImageName", message: string) {
    super(message);
  }
}

export interface PullEvents {
  normal(reason: string, message: string): void;
  warning(reason: string, message: string): void;
}

export const defaultPullPolicy = (image: string) => {
  try {
    const r = parseRef(image);
    return !r.digest && (!r.tag || r.tag === "latest") ? "Always" : "IfNotPresent";
  } catch {
    return "IfNotPresent";
  }
};

/** `docker.io/library/busybox@sha256:…` as containerd reports imageID. */
export function imageIdOf(image: string, manifestDigest: string): string {
  try {
    const r = parseRef(image);
    return `${r.registry}/${r.repository}@${manifestDigest}`;
  } catch {
    return manifestDigest;
  }
}

export class ImageManager {
  private readonly backoff = new Backoff();
  private readonly until = new Map<string, number>();

  constructor(private readonly store: ImageStore) {}

  /** Make the image present per the policy; `key` identifies the pod container for back-off. */
  async ensure(key: string, image: string, policy: string | undefined, ev: PullEvents): Promise<{ resolved: ResolvedImage; imageID: string }> {
    try {
      parseRef(image);
    } catch (e) {
      throw new ImageError("InvalidImageName", `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format`);
    }
    const pol = policy ?? defaultPullPolicy(image);
    const have = this.store.get(image);
    if (have && pol !== "Always") {
      ev.normal("Pulled", `Container image "${image}" already present on machine`);
      return { resolved: this.store.resolve(have.id), imageID: imageIdOf(image, have.id) };
    }
    if (!have && pol === "Never") {
      const msg = `Container image "${image}" is not present with pull policy of Never`;
      ev.warning("ErrImageNeverPull", msg);
      throw new ImageError("ErrImageNeverPull", msg);
    }
    const wait = this.until.get(key) ?? 0;
    if (Date.now() < wait) {
      ev.normal("BackOff", `Back-off pulling image "${image}"`);
      throw new ImageError("ImagePullBackOff", `Back-off pulling image "${image}"`);
    }
    ev.normal("Pulling", `Pulling image "${image}"`);
    const t0 = performance.now();
    try {
      const rec = await this.store.pull(image);
      const s = ((performance.now() - t0) / 1000).toFixed(3);
      ev.normal("Pulled", `Successfully pulled image "${image}" in ${s}s (${s}s including waiting). Image size: ${rec.size} bytes.`);
      this.backoff.forget(key);
      this.until.delete(key);
      return { resolved: this.store.resolve(rec.id), imageID: imageIdOf(image, rec.id) };
    } catch (e) {
      this.until.set(key, Date.now() + this.backoff.next(key, Date.now()));
      const msg = `Failed to pull image "${image}": ${(e as Error).message}`;
      ev.warning("Failed", msg);
      ev.warning("Failed", "Error: ErrImagePull");
      throw new ImageError("ErrImagePull", msg);
    }
  }

  /** the unpacked image, if present */
  resolvedFor(image: string): ResolvedImage | undefined {
    const r = this.store.get(image);
    try {
      return r ? this.store.resolve(r.id) : undefined;
    } catch {
      return undefined;
    }
  }

  /** imageID of a present image ("" when absent). */
  idFor(image: string): string {
    const r = this.store.get(image);
    return r ? imageIdOf(image, r.id) : "";
  }

  /** ms until the next pull attempt is allowed (0 = now). */
  retryIn(key: string): number {
    return Math.max(0, (this.until.get(key) ?? 0) - Date.now());
  }

  forget(prefix: string) {
    this.backoff.forgetPrefix(prefix);
    for (const k of this.until.keys()) if (k.startsWith(prefix)) this.until.delete(k);
  }
}
