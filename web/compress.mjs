// Writes a brotli (.br) and a gzip (.gz) copy beside each file of the browser game, so a
// server (`ttx serve`, or any that serves precompressed files) sends the smallest one the
// browser accepts without compressing on every request.
// Usage: node web/compress.mjs DIR [BROTLI_QUALITY]
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const quality = Number(process.argv[3] ?? 11);
if (!dir || !(quality >= 0 && quality <= 11)) {
  console.error("usage: node web/compress.mjs DIR [BROTLI_QUALITY 0-11]");
  process.exit(2);
}
const wanted = /\.(wasm|js|html|ron|otf|txt)$/;
const walk = (d) =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : wanted.test(n) ? [p] : [];
  });
for (const file of walk(dir)) {
  const data = readFileSync(file);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: quality,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const gz = gzipSync(data, { level: 9 });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gz);
  if (file.endsWith(".wasm")) {
    console.log(`${file}: ${data.length} bytes, ${gz.length} gzip, ${br.length} brotli (quality ${quality})`);
  }
}
