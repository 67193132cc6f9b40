'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { admits, hasUpperBound } = require('../lib/versions');
const { outline, literal } = require('../lib/outline');

test('version constraints admit what Terraform admits', () => {
  assert.ok(admits('~> 6.66', '6.99.0'));
  assert.ok(!admits('~> 6.66', '7.0.0'));
  assert.ok(admits('~> 1.11.0', '1.11.4'));
  assert.ok(!admits('~> 1.11.0', '1.12.0'));
  assert.ok(admits('>= 1.11, < 2.0', '1.11.4'));
  assert.ok(!admits('1.11.3', '1.11.4'));
  assert.ok(hasUpperBound('~> 0.71'));
  assert.ok(!hasUpperBound('>= 6.66'));
});

test('outline finds blocks, attributes and lines past strings, heredocs and comments', () => {
  const text = [
    'resource "a_b" "c" { x = "}" }', // 1
    '# a { comment',
    'locals {',
    '  h = <<-EOT',
    '    ${var.x} }',
    '  EOT',
    '  m = {',
    '    k = "v" // }',
    '  }',
    '  s = "a ${jsonencode({ b = "}" })}"',
    '}',
  ].join('\n');
  const body = outline(text);
  assert.deepEqual(body.map((b) => [b.type, b.labels, b.line]), [['resource', ['a_b', 'c'], 1], ['locals', [], 3]]);
  assert.deepEqual(body[1].body.map((a) => [a.name, a.line]), [['h', 4], ['m', 7], ['s', 10]]);
  assert.equal(body[0].body[0].expr, '"}"');
});

test('literal reads plain values and refuses templates', () => {
  assert.equal(literal('"0.0.0.0/0"'), '0.0.0.0/0');
  assert.equal(literal('443'), 443);
  assert.equal(literal('true'), true);
  assert.equal(literal('"a-${var.x}"'), undefined);
  assert.equal(literal('var.x'), undefined);
});
