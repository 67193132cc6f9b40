#!/usr/bin/env node
// Regenerates schemas/*.json from the prebuilt CDK-for-Terraform provider packages.
//
// Those packages carry the provider's full schema in package/.jsii. The AWS one is ~45 MB packed and
// ~400 MB installed, so it is never installed: `npm pack` fetches the tarball into a temporary folder,
// only package/.jsii is extracted, and it is reduced to a compact JSON that is committed.
//
// Usage: node build-schemas.js            (all providers)
//        node build-schemas.js aws        (one)
// Move the provider pin in the Terraform code and the package version here together.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PROVIDERS = {
  aws: { package: '@cdktn/provider-aws@25.7.0', source: 'hashicorp/aws', version: '6.66.0' },
  cloudflare: { package: '@cdktf/provider-cloudflare@13.9.1', source: 'cloudflare/cloudflare', version: '5.14.0' },
  tfe: { package: '@cdktf/provider-tfe@12.5.1', source: 'hashicorp/tfe', version: '0.71.0' },
  random: { package: '@cdktf/provider-random@12.0.1', source: 'hashicorp/random', version: '3.7.2' },
  tls: { package: '@cdktf/provider-tls@11.0.1', source: 'hashicorp/tls', version: '4.1.0' },
};

const OUT_DIR = path.join(__dirname, 'schemas');

function fetchJsii(pkg, tmp) {
  const name = execFileSync('npm', ['pack', pkg, '--pack-destination', tmp, '--silent'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop();
  const tarball = path.join(tmp, name);
  execFileSync('tar', ['-xzf', tarball, '-C', tmp, 'package/.jsii']);
  fs.rmSync(tarball);
  const jsii = JSON.parse(fs.readFileSync(path.join(tmp, 'package', '.jsii'), 'utf8'));
  fs.rmSync(path.join(tmp, 'package'), { recursive: true });
  return jsii;
}

// The exact Terraform name is the anchor of the property's registry link: camelCase → snake_case
// conversion is wrong for about a hundred AWS names (e.g. ipv6, s3, oauth).
function terraformName(prop) {
  const text = `${prop.docs?.summary ?? ''} ${prop.docs?.remarks ?? ''}`;
  const m = /\{@link \S+#([A-Za-z0-9_-]+) /.exec(text);
  return m ? m[1] : prop.name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function structOf(type, types) {
  if (!type) return null;
  if (type.fqn && types[type.fqn]?.datatype) return { fqn: type.fqn, many: false };
  if (type.collection) {
    const inner = structOf(type.collection.elementtype, types);
    return inner && { fqn: inner.fqn, many: true };
  }
  if (type.union) {
    for (const t of type.union.types) {
      const inner = structOf(t, types);
      if (inner) return inner;
    }
  }
  return null;
}

function propertiesOf(fqn, types) {
  const t = types[fqn];
  const own = t.properties ?? [];
  const inherited = (t.interfaces ?? []).filter((i) => types[i]).flatMap((i) => propertiesOf(i, types));
  return [...inherited, ...own];
}

// Compact block schema: { a: { name: 1 (required) | 0 (optional) }, b: { name: { min, max, a, b } } }.
// max 1 marks a single block; max 0 means unbounded. Object-typed attributes (plugin-framework nested
// attributes, written `x = { ... }`, or SDKv2 attributes-as-blocks) are in `b` with attr: 1.
function reduceStruct(fqn, types, seen = new Set()) {
  const out = { a: {}, b: {} };
  if (seen.has(fqn)) return out;
  seen.add(fqn);
  for (const prop of propertiesOf(fqn, types)) {
    const name = terraformName(prop);
    const nested = structOf(prop.type, types);
    if (nested) {
      // Object-typed attributes (attr: 1) may also be written as blocks in SDKv2 providers
      // (e.g. aws_security_group's ingress); keep their inner schema either way.
      const isBlock = /^\S+ block\.$/.test(prop.docs?.summary ?? '');
      const inner = reduceStruct(nested.fqn, types, new Set(seen));
      out.b[name] = { ...(isBlock ? {} : { attr: 1 }), min: prop.optional ? 0 : 1, max: nested.many ? 0 : 1, ...inner };
    } else {
      out.a[name] = prop.optional ? 0 : 1;
    }
  }
  if (Object.keys(out.b).length === 0) delete out.b;
  return out;
}

function reduce(jsii, meta) {
  const types = jsii.types;
  const result = {
    provider: meta.source,
    version: meta.version,
    package: meta.package,
    provider_config: null,
    resources: {},
    data_sources: {},
  };
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== 'class') continue;
    const summary = t.docs?.summary ?? '';
    const configType = t.initializer?.parameters?.find((p) => p.type?.fqn?.endsWith('Config'))?.type.fqn;
    if (!configType || !types[configType]) continue;
    const res = /^Represents a \{@link \S+\/docs\/(resources|data-sources)\/\S+ (\w+)\}/.exec(summary);
    if (res) {
      const bucket = res[1] === 'resources' ? result.resources : result.data_sources;
      bucket[res[2]] = reduceStruct(configType, types);
      continue;
    }
    if (/^Represents a \{@link \S+\/docs \w+\}/.test(summary) && fqn.includes('.provider.')) {
      result.provider_config = reduceStruct(configType, types);
    }
  }
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  result.resources = sorted(result.resources);
  result.data_sources = sorted(result.data_sources);
  return result;
}

function main() {
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(PROVIDERS);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const name of names) {
    const meta = PROVIDERS[name];
    if (!meta) throw new Error(`unknown provider ${name}; known: ${Object.keys(PROVIDERS).join(', ')}`);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `schema-${name}-`));
    try {
      const schema = reduce(fetchJsii(meta.package, tmp), meta);
      const file = path.join(OUT_DIR, `${name}.json`);
      fs.writeFileSync(file, `${JSON.stringify(schema)}\n`);
      const counts = `${Object.keys(schema.resources).length} resources, ${Object.keys(schema.data_sources).length} data sources`;
      console.log(`${file}: ${meta.source} ${meta.version}, ${counts}, ${fs.statSync(file).size} bytes`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

if (require.main === module) main();

module.exports = { reduce, PROVIDERS };
