'use strict';
// The checker against its fixtures: the good tree passes; each broken fixture (the good tree plus one
// overlay) is reported once, by its rule, at its file and line.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkTree } = require('../lib/check');

const FIXTURES = path.join(__dirname, 'fixtures');
const GOOD = path.join(FIXTURES, 'good');
const BROKEN = path.join(FIXTURES, 'broken');

// Fixtures that cannot be valid, formatted .tf in the repository (syntax, fmt) are stored as .tf.fixture,
// so that `terraform fmt -check -recursive infrastructure` stays clean.
function copyTree(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name.replace(/\.tf\.fixture$/, '.tf'));
    if (e.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      copyTree(src, dst);
    } else if (e.name !== 'expect.json') fs.copyFileSync(src, dst);
  }
}

async function withTree(overlay, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfcheck-'));
  try {
    copyTree(GOOD, dir);
    if (overlay) copyTree(overlay, dir);
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const show = (findings) => findings.map((f) => `${f.file}:${f.line}: ${f.rule}: ${f.message}`).join('\n');

test('good fixture has no findings', async () => {
  const findings = await withTree(null, (dir) => checkTree(dir, { base: dir, fmt: true }));
  assert.equal(findings.length, 0, show(findings));
});

for (const name of fs.readdirSync(BROKEN).sort()) {
  const overlay = path.join(BROKEN, name);
  const expected = JSON.parse(fs.readFileSync(path.join(overlay, 'expect.json'), 'utf8'));
  test(`broken fixture ${name} is reported at ${expected.file}:${expected.line}`, async () => {
    const findings = await withTree(overlay, (dir) => checkTree(dir, { base: dir, fmt: true }));
    const got = findings.map(({ file, line, rule }) => ({ rule, file, line }));
    assert.deepEqual(got, [expected], show(findings));
  });
}
