// Runs the app's TypeScript in plain node: `node --require ./scripts/ts-register.js main.ts`
// (cdktf.json "app"). Each .ts file is transpiled with esbuild and the result cached by content
// hash in node_modules/.cache; type checking is `tsc` in the tests. `npm run bench` measures
// synth with it; tsx, whose module hooks add work to each of the thousands of requires inside
// cdktf and the provider bindings, took about 40% longer.
// FACTORY_DEBUG=1 adds source maps, so that stack traces point at the TypeScript.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");

const debug = process.env.FACTORY_DEBUG === "1";
if (debug) process.setSourceMapsEnabled(true);
const cacheDir = path.join(__dirname, "..", "node_modules", ".cache", "factory-ts-register");

function transpile(source, filename) {
  const options = { loader: "ts", format: "cjs", target: "node20", sourcefile: filename, sourcemap: debug ? "inline" : false };
  const key = crypto
    .createHash("sha256")
    .update(`${esbuild.version}\0${JSON.stringify(options)}\0${source}`)
    .digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    const { code } = esbuild.transformSync(source, options);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, cached); // atomic: parallel runs never read a partial file
    } catch {
      // A read-only tree still works, just without the cache.
    }
    return code;
  }
}

// cdktf loads archiver (it zips assets) when it starts: ~90 ms, a tenth of synth, for a feature
// this app does not use. A stand-in loads the real module at its first call (cdktf only calls
// it). cdktf-specific: drop this when a cdktf release loads archiver lazily itself.
const archiverPath = require.resolve("archiver", { paths: [path.dirname(require.resolve("cdktf"))] });
const lazyArchiver = new module.constructor(archiverPath);
lazyArchiver.filename = archiverPath;
lazyArchiver.loaded = true;
lazyArchiver.exports = (...args) => {
  delete require.cache[archiverPath];
  return require(archiverPath)(...args);
};
require.cache[archiverPath] = lazyArchiver;

require.extensions[".ts"] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
