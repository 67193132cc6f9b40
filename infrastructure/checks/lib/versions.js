'use strict';
// Terraform version constraints ("~> 6.66", ">= 1.11, < 2.0", "= 1.11.4"), enough to say whether a
// constraint admits a version and whether it has an upper bound.

const parseVersion = (v) => v.trim().replace(/^v/, '').split('.').map((x) => Number.parseInt(x, 10) || 0);

function compare(a, b) {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const d = (a[k] ?? 0) - (b[k] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

function terms(constraint) {
  return constraint
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => {
      const m = /^(~>|>=|<=|!=|=|>|<)?\s*(\S+)$/.exec(t);
      if (!m) throw new Error(`cannot read version constraint "${constraint}"`);
      return { op: m[1] ?? '=', version: m[2] };
    });
}

function admits(constraint, version) {
  const v = parseVersion(version);
  return terms(constraint).every(({ op, version: raw }) => {
    const c = parseVersion(raw);
    const cmp = compare(v, c);
    switch (op) {
      case '=':
        return cmp === 0;
      case '!=':
        return cmp !== 0;
      case '>':
        return cmp > 0;
      case '>=':
        return cmp >= 0;
      case '<':
        return cmp < 0;
      case '<=':
        return cmp <= 0;
      case '~>': {
        // ~> 1.2 allows >= 1.2, < 2.0; ~> 1.2.3 allows >= 1.2.3, < 1.3.0.
        const parts = raw.split('.').length;
        const upper = c.slice(0, Math.max(parts - 1, 1));
        upper[upper.length - 1] += 1;
        return cmp >= 0 && compare(v, upper) < 0;
      }
      default:
        return false;
    }
  });
}

const hasUpperBound = (constraint) => terms(constraint).some(({ op }) => ['~>', '=', '<', '<='].includes(op));

module.exports = { admits, hasUpperBound };
