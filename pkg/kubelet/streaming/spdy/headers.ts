// One zlib context per direction for the whole connection (SPDY/3 §2.6.10.1): every header
// block is deflated against the shared dictionary and ended with a sync flush.
import zlib from "node:zlib";
import { SPDY3_DICTIONARY } from "./dictionary.ts";
import { decodeHeaderPairs, encodeHeaderPairs } from "./frames.ts";

type Codec = (input: Buffer) => Promise<Buffer>;

function streaming(z: zlib.Deflate | zlib.Inflate): Codec {
  const chunks: Buffer[] = [];
  let failure: Error | undefined;
  z.on("data", (c: Buffer) => chunks.push(c));
  z.on("error", (e: Error) => (failure = e));
  let chain: Promise<unknown> = Promise.resolve();
  return (input) => {
    const run = chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          if (failure) return reject(failure);
          z.write(input);
          z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            if (failure) return reject(failure);
            const out = Buffer.concat(chunks);
            chunks.length = 0;
            resolve(out);
          });
        }),
    );
    chain = run.catch(() => undefined);
    return run;
  };
}

export interface HeaderCodec {
  compress(headers: Record<string, string>): Promise<Buffer>;
  decompress(block: Buffer): Promise<Record<string, string>>;
  close(): void;
}

export function createHeaderCodec(): HeaderCodec {
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  const inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  const def = streaming(deflate);
  const inf = streaming(inflate);
  return {
    compress: (headers) => def(encodeHeaderPairs(headers)),
    decompress: async (block) => decodeHeaderPairs(await inf(block)),
    close() {
      deflate.destroy();
      inflate.destroy();
    },
  };
}
