// Write the licences of the packages bundled into dist/ (the AWS SDK and what it imports), read from
// esbuild's metafile: the package ships their code, so it ships their notices too.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Write one text file naming every bundled package (name, version, licence) and the licence and
 * NOTICE texts they carry, each distinct text once.
 * @param {string} metafile esbuild's metafile of the build
 * @param {string} out the file to write
 */
export function writeThirdPartyLicenses(metafile, out) {
  const { outputs } = JSON.parse(readFileSync(metafile, "utf8"));
  const roots = new Set();
  // Only modules with code in a chunk: esbuild also lists the ones it read and then shook out.
  for (const output of Object.values(outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match?.[1] && bytesInOutput > 0) roots.add(match[1]);
    }
  }
  const texts = new Map();
  const lines = [];
  for (const root of [...roots].sort()) {
    const { name, version, license } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    const files = readdirSync(root).filter((f) => /^(licen[cs]e|notice)/i.test(f));
    const keys = files.map((file) => {
      const text = readFileSync(join(root, file), "utf8").trim();
      if (!texts.has(text)) texts.set(text, `text ${texts.size + 1}`);
      return texts.get(text);
    });
    lines.push(`${name}@${version} (${license ?? "see its licence"}): ${keys.length ? keys.join(", ") : "no licence file"}`);
  }
  const body = [...texts].map(([text, key]) => `----- ${key} -----\n\n${text}\n`);
  const head = "The approvals bundle includes these packages, under the licences below.\n";
  writeFileSync(out, `${head}\n${lines.join("\n")}\n\n${body.join("\n")}`);
}
