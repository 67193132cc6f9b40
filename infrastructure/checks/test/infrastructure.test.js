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

// An alarm on a CloudWatch agent metric matches only when it names exactly the dimensions the agent sends; a mismatch
// never fires (or, treating missing data as breaching, always does).
test('the Redis host alarms name the dimensions its CloudWatch agent sends', () => {
  const fs = require('node:fs');
  const template = fs.readFileSync(path.join(ROOT, 'modules', 'redis', 'cloud-init.yaml.tftpl'), 'utf8');
  const alarms = fs.readFileSync(path.join(ROOT, 'modules', 'observability', 'main.tf'), 'utf8');
  const agentJson = template.match(/amazon-cloudwatch-agent\.json\n\s+content: \|\n([\s\S]*?)\n\s+- path:/)[1].replace(/\$\$\{/g, '${');
  const agent = JSON.parse(agentJson);
  const disk = agent.metrics.metrics_collected.disk;
  assert.deepEqual(Object.keys(agent.metrics.append_dimensions), ['InstanceId']);
  assert.equal(disk.drop_device, true, 'without drop_device the agent adds a device dimension the alarm cannot name');
  assert.ok(disk.measurement.includes('used_percent'));
  assert.ok(agent.metrics.metrics_collected.mem.measurement.includes('mem_used_percent'));

  const alarm = (name) => alarms.match(new RegExp(`resource "aws_cloudwatch_metric_alarm" "${name}" \\{([\\s\\S]*?)\\n\\}`))[1];
  const diskAlarm = alarm('redis_disk');
  assert.match(diskAlarm, /namespace\s+= "CWAgent"/);
  assert.match(diskAlarm, /metric_name\s+= "disk_used_percent"/);
  assert.match(diskAlarm, /dimensions\s+= \{ InstanceId = var\.redis_instance_id, path = "[^"]+", fstype = "[^"]+" \}/);
  const mountPath = diskAlarm.match(/path = "([^"]+)"/)[1];
  const fstype = diskAlarm.match(/fstype = "([^"]+)"/)[1];
  assert.deepEqual(disk.resources, [mountPath]);
  assert.match(template, new RegExp(`mkfs\\.${fstype} `), "the alarm's fstype is the file system cloud-init makes");
  assert.ok(template.includes(` ${mountPath} ${fstype} `), "and mounts at the alarm's path");

  const memoryAlarm = alarm('redis_memory');
  assert.match(memoryAlarm, /metric_name\s+= "mem_used_percent"/);
  assert.match(memoryAlarm, /dimensions\s+= \{ InstanceId = var\.redis_instance_id \}/);
});
