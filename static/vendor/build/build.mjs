// Builds ../plotly-zhongyuan.min.js (and ../LICENSE): plotly.js with only the traces
// the dashboard draws, and the zh-CN locale. In this folder:
//   npm ci && npm run build            (add `-- --analyze` for bytes per module)
// node_modules stays out of git; package-lock.json pins every package.
//
// It follows plotly.js's own partial-bundle task (tasks/partial_bundle.mjs and
// tasks/util/bundle_wrapper.mjs in the plotly.js repository, which the npm package
// does not ship): esbuild over lib/core plus the chosen trace modules, with the
// attribute descriptions stripped (they feed plotly's schema docs, not the plots).
import { copyFile, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { version } = require("plotly.js/package.json");
// The folder to write to: static/vendor, or the first argument (the Makefile builds
// in a temporary copy of this folder so node_modules never lands under static/).
const OUTDIR = resolve(process.argv.find((a, i) => i > 1 && !a.startsWith("--")) ?? join(here, ".."));
const OUTFILE = join(OUTDIR, "plotly-zhongyuan.min.js");
const LICENSE = require.resolve("plotly.js/LICENSE");
// The traces targets/charts.py and projects/charts.py draw. lib/core always brings
// scatter; the others are registered, with the zh-CN locale, as plotly.js's own
// partial bundles write their lib/index-*.js.
const TRACES = ["scatter", "bar", "heatmap"];
const ENTRY = `"use strict";
var Plotly = require("plotly.js/lib/core");
Plotly.register([
${TRACES.filter((t) => t !== "scatter")
  .map((t) => `  require("plotly.js/lib/${t}"),`)
  .join("\n")}
  require("plotly.js/lib/locales/zh-cn"),
]);
module.exports = Plotly;
`;

// Attribute metadata that only plotly's documentation reads (the schema's
// descriptions and option lists), dropped as plotly's own bundles drop it. The
// sources wrap these values over several lines in varying shapes, so the value is
// found by scanning to the end of the expression rather than by a line pattern.
const META_KEY = /(^|[{,\s])(description|requiredOpts|otherOpts|hrName):/g;
const OPEN = "([{";
const CLOSE = ")]}";

// The index just past the expression starting at `i`: the first `,` or closing
// bracket outside strings and nested brackets.
function endOfValue(source, i) {
  let depth = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === "'" || c === '"' || c === "`") {
      i += 1;
      while (source[i] !== c) {
        i += source[i] === "\\" ? 2 : 1;
        if (i >= source.length) throw new Error("unterminated string");
      }
    } else if (source.startsWith("//", i)) {
      i = source.indexOf("\n", i) - 1;
    } else if (OPEN.includes(c)) {
      depth += 1;
    } else if (CLOSE.includes(c)) {
      if (depth === 0) return i;
      depth -= 1;
    } else if (c === "," && depth === 0) {
      return i;
    }
    i += 1;
  }
  return i;
}

export function stripAttributeMeta(source) {
  let out = "";
  let from = 0;
  META_KEY.lastIndex = 0;
  for (let m = META_KEY.exec(source); m; m = META_KEY.exec(source)) {
    const keyStart = m.index + m[1].length;
    const lineStart = source.lastIndexOf("\n", keyStart) + 1;
    // Commented-out attributes stay as they are.
    if (keyStart < from || /\/\/|^\s*\*/.test(source.slice(lineStart, keyStart))) continue;
    let end = endOfValue(source, m.index + m[0].length);
    if (source[end] === ",") end += 1;
    out += source.slice(from, keyStart);
    from = end;
    META_KEY.lastIndex = end;
  }
  return out + source.slice(from);
}

const stripMeta = {
  name: "strip-attribute-meta",
  setup(b) {
    b.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => ({
      contents: stripAttributeMeta(await readFile(args.path, "utf8")),
      loader: "js",
    }));
  },
};

const copyright = (await readFile(LICENSE, "utf8")).match(/^Copyright (.*?)\.?$/m)[1];
const header = `/**
 * plotly.js v${version} (zhongyuan partial bundle - minified)
 * Traces: ${TRACES.join(", ")}. Locale: zh-CN (registered; en is built in).
 * Built from the npm package plotly.js@${version} by static/vendor/build/build.mjs.
 * Copyright ${copyright}.
 * Licensed under the MIT license: see LICENSE beside this file.
 * Bundled dependencies keep their own licence comments, at the end of the file.
 */`;

const result = await build({
  metafile: process.argv.includes("--analyze"),
  stdin: { contents: ENTRY, resolveDir: here, sourcefile: "index-zhongyuan.js" },
  outfile: OUTFILE,
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  banner: { js: header },
  legalComments: "eof",
  // Keep the Chinese of the zh-CN locale as UTF-8 rather than \u escapes (smaller).
  charset: "utf8",
  // As plotly.js's esbuild-config.js: the browser globals its sources expect. (Its
  // aliases for regl and stream matter only to WebGL traces, which we leave out.)
  define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
  // The only stylesheet reached is maplibre's, for map traces we do not draw;
  // plotly's own styles are injected by its JS (build/plotcss.js).
  loader: { ".css": "empty" },
  plugins: [stripMeta],
  logLevel: "warning",
});

if (result.metafile) {
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
  const byPackage = {};
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const key = path.replace(/.*node_modules\/((@[^/]+\/)?[^/]+)(\/src\/[^/]+(\/[^/]+)?)?.*/, "$1$3");
    byPackage[key] = (byPackage[key] || 0) + bytesInOutput;
  }
  for (const [key, size] of Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 40)) {
    console.log(String(size).padStart(8), key);
  }
}

await copyFile(LICENSE, join(OUTDIR, "LICENSE"));

const bytes = await readFile(OUTFILE);
console.log(
  `${OUTFILE}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`,
);
