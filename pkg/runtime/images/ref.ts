// Image references: docker.io and library/ normalisation (the docker/distribution reference rules).
export interface ImageRef {
  /** registry host as named (docker.io for Docker Hub) */
  registry: string;
  /** repository path, e.g. library/busybox */
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseRef(input: string): ImageRef {
  let rest = input.trim();
  if (!rest || /\s/.test(rest)) throw new Error(`invalid image reference ${JSON.stringify(input)}`);
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`invalid digest in ${JSON.stringify(input)}`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) throw new Error(`invalid tag in ${JSON.stringify(input)}`);
  }
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  let registry = "docker.io";
  let repository = rest;
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
    registry = first;
    repository = rest.slice(slash + 1);
  }
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository))
    throw new Error(`invalid repository name in ${JSON.stringify(input)}`);
  if (!tag && !digest) tag = "latest";
  return { registry, repository, tag, digest };
}

/** docker.io/library/busybox:latest (or …@sha256:…) */
export function formatRef(r: ImageRef): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ""}${r.digest ? `@${r.digest}` : ""}`;
}

export function normalizeRef(input: string): string {
  return formatRef(parseRef(input));
}
