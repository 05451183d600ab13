// Builds cme/static/build: our Sass over govuk-frontend, its script and its fonts and images.
// Run by `npm run build` (and so by `make install`); the output is not committed.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "cme", "static", "build");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(root, "frontend", "application.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "application.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
console.log(`built ${out}`);
