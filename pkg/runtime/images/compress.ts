// Compression detection by magic bytes, and streaming decompressors (gzip, zstd) for blobs and archives.
import { createGunzip, createZstdDecompress } from "node:zlib";
import { PassThrough, type Transform } from "node:stream";
import { openSync, readSync, closeSync } from "node:fs";

export type Compression = "none" | "gzip" | "zstd";

export function detectCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return "gzip";
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return "zstd";
  return "none";
}

export function detectFileCompression(path: string): Compression {
  const fd = openSync(path, "r");
  try {
    const b = new Uint8Array(4);
    readSync(fd, b, 0, 4, 0);
    return detectCompression(b);
  } finally {
    closeSync(fd);
  }
}

export function decompressor(c: Compression): Transform {
  if (c === "gzip") return createGunzip();
  if (c === "zstd") return createZstdDecompress() as unknown as Transform;
  return new PassThrough();
}
