'use strict';
// The real tree: infrastructure/ passes the checker and is in canonical `terraform fmt` layout.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { checkTree } = require('../lib/check');

const ROOT = path.join(__dirname, '..', '..');
const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' });
const hasTerraform = terraform.status === 0;

test('infrastructure/ passes the checker', async () => {
  // Without a terraform binary the formatter `terraform fmt` is built on checks the layout instead.
  const findings = await checkTree(ROOT, { base: ROOT, fmt: !hasTerraform });
  assert.equal(findings.length, 0, findings.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`).join('\n'));
});

test('terraform fmt -check -recursive infrastructure', { skip: !hasTerraform && 'no terraform on PATH (layout checked by the formatter above)' }, () => {
  const r = spawnSync('terraform', ['fmt', '-check', '-recursive', '-list=true', ROOT], { encoding: 'utf8' });
  assert.equal(r.status, 0, `not in canonical layout (run terraform fmt -recursive infrastructure):\n${r.stdout}${r.stderr}`);
});
