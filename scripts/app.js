#!/usr/bin/env node
/**
 * The app `cdktf synth` runs (cdktf.json `app`), as precompiled JavaScript: loading it costs
 * far less time and memory than compiling TypeScript on every synth.
 *
 * Before running, it brings `.build/` up to date: each `main.ts` / `src/**` file that is newer
 * than its output is transpiled with TypeScript's `transpileModule` (the project compiles file
 * by file: `isolatedModules`; type-checking is `npm run typecheck`'s job), other files under
 * `src/` (templates) are copied, and outputs whose source is gone are removed. Nothing is
 * rebuilt when nothing changed, so a stale build can never run. Each output is written to a
 * temporary file and renamed, so two synths at once cannot read a half-written file.
 *
 * `node scripts/app.js --build` only builds.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..");
const OUT = path.join(ROOT, ".build");

function sourcesOf(dir) {
  const found = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourcesOf(rel));
    else if (!rel.endsWith(".d.ts")) found.push(rel);
  }
  return found;
}

function outputOf(source) {
  return path.join(OUT, source.endsWith(".ts") ? source.replace(/\.ts$/, ".js") : source);
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function writeAtomically(file, content) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

function build() {
  const sources = ["main.ts", ...sourcesOf("src")];
  let ts;
  let compilerOptions;
  for (const source of sources) {
    const output = outputOf(source);
    const from = path.join(ROOT, source);
    if (mtime(output) >= mtime(from)) continue;
    if (!source.endsWith(".ts")) {
      writeAtomically(output, fs.readFileSync(from));
      continue;
    }
    if (!ts) {
      ts = require("typescript");
      const config = ts.readConfigFile(path.join(ROOT, "tsconfig.json"), ts.sys.readFile).config;
      compilerOptions = { ...ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT).options, noEmit: false, sourceMap: false, inlineSourceMap: false };
    }
    const result = ts.transpileModule(fs.readFileSync(from, "utf8"), { compilerOptions, fileName: from });
    writeAtomically(output, result.outputText);
  }
  const expected = new Set(sources.map(outputOf));
  if (fs.existsSync(path.join(OUT, "src"))) {
    for (const output of sourcesOf(path.relative(ROOT, path.join(OUT, "src")))) {
      const file = path.join(ROOT, output);
      if (!expected.has(file) && !file.endsWith(".tmp")) fs.rmSync(file, { force: true });
    }
  }
}

build();
if (!process.argv.includes("--build")) require(path.join(OUT, "main.js"));
