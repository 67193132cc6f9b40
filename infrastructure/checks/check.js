#!/usr/bin/env node
// Usage: node check.js [--fmt] <dir>
// Checks every Terraform configuration under <dir> and prints findings as file:line: rule: message.
// --fmt also checks the canonical layout with the formatter `terraform fmt` is built on (use it where no
// terraform binary is available). Exit code 1 when anything is found.
'use strict';

const { checkTree } = require('./lib/check');

async function main() {
  const args = process.argv.slice(2);
  const fmt = args.includes('--fmt');
  const root = args.find((a) => !a.startsWith('--')) ?? '.';
  const findings = await checkTree(root, { fmt });
  for (const f of findings) console.log(`${f.file}:${f.line}: ${f.rule}: ${f.message}`);
  console.log(findings.length === 0 ? `${root}: no findings` : `${root}: ${findings.length} finding(s)`);
  process.exitCode = findings.length === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 2;
});
