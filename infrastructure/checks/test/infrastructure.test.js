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

// Terraform Cloud plans a stack only when its trigger patterns match: the module list per stack in the
// workspaces stack must name exactly the modules the stack uses (directly or through other modules).
test('workspace trigger patterns cover exactly the modules each stack uses', () => {
  const fs = require('node:fs');
  const { outline, blocks, attr } = require('../lib/outline');
  const repo = path.join(ROOT, '..');
  const text = fs.readFileSync(path.join(ROOT, 'stacks', 'workspaces', 'main.tf'), 'utf8');
  const stacksExpr = blocks(outline(text), 'locals').map((b) => attr(b.body, 'stacks')).find(Boolean).expr;
  const declared = [...stacksExpr.matchAll(/(\w+)\s*=\s*\{\s*dir\s*=\s*"([^"]+)",\s*modules\s*=\s*\[([^\]]*)\]/g)];
  assert.ok(declared.length >= 3, 'could not read local.stacks');

  const used = (dir, seen = new Set()) => {
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.tf'))) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/source\s*=\s*"((?:\.\.\/)+[^"]+)"/g)) {
        const target = path.resolve(dir, m[1]);
        const name = path.relative(path.join(ROOT, 'modules'), target);
        if (!seen.has(name)) {
          seen.add(name);
          used(target, seen);
        }
      }
    }
    return seen;
  };

  for (const [, stack, dir, list] of declared) {
    const listed = [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
    assert.ok(fs.existsSync(path.join(repo, dir)), `${stack}: ${dir} does not exist`);
    assert.deepEqual(listed, [...used(path.join(repo, dir))].sort(), `modules of stack ${stack} in stacks/workspaces/main.tf`);
  }
});
