'use strict';
// What `terraform validate` would say, offline: every .tf file parsed by HCL's own parser, references
// resolved, module calls and provider pins checked, resources checked against the pinned providers'
// schemas, plus our policy rules and the canonical layout.

const fs = require('node:fs');
const path = require('node:path');
const hcl = require('@cdktn/hcl2json');
const { outline, attrs, blocks, attr, literal } = require('./outline');
const { admits, hasUpperBound } = require('./versions');
const policy = require('./policy');

const SKIP_DIRS = new Set(['node_modules', '.terraform', '.git', 'fixtures']);
const RESOURCE_META_ARGS = new Set(['count', 'for_each', 'provider', 'depends_on']);
const RESOURCE_META_BLOCKS = new Set(['lifecycle', 'provisioner', 'connection']);
const MODULE_META_ARGS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'module', 'data', 'each', 'count', 'self', 'path', 'terraform']);

function findUp(start, name) {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

function configDirs(root) {
  const found = [];
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) found.push(dir);
    for (const e of entries) if (e.isDirectory() && !SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

function loadSchemas(dir) {
  const bySource = new Map();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    bySource.set(schema.provider, schema);
  }
  return bySource;
}

class Checker {
  constructor({ base, schemas, pin, fmt }) {
    this.base = base;
    this.schemas = schemas;
    this.pin = pin;
    this.fmt = fmt;
    this.findings = [];
    this.modules = new Map();
  }

  report(file, line, rule, message) {
    this.findings.push({ file: path.relative(this.base, file) || file, line, rule, message });
  }

  // One configuration directory: its files, parsed, and what it declares.
  async load(dir) {
    if (this.modules.has(dir)) return this.modules.get(dir);
    const mod = {
      dir,
      files: [],
      variables: new Map(),
      locals: new Map(),
      outputs: new Map(),
      resources: new Map(),
      data: new Map(),
      calls: new Map(),
      terraform: [],
      providers: [],
      ok: true,
    };
    this.modules.set(dir, mod);
    if (!fs.existsSync(dir)) {
      mod.ok = false;
      return mod;
    }
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.tf')).sort()) {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      try {
        await hcl.parse(name, text);
      } catch (err) {
        const m = /:(\d+),\d+(?:-\d+(?:,\d+)?)?: ([^\]]+)/.exec(String(err.message ?? err));
        this.report(file, m ? Number(m[1]) : 1, 'syntax', m ? m[2].trim() : String(err.message ?? err));
        mod.ok = false;
        continue;
      }
      const body = outline(text);
      mod.files.push({ file, text, body });
      for (const b of blocks(body)) this.declare(mod, file, b);
    }
    return mod;
  }

  declare(mod, file, b) {
    const at = { file, line: b.line, block: b };
    const add = (map, key) => {
      if (map.has(key)) this.report(file, b.line, 'duplicate', `${b.type} "${key}" is already declared`);
      else map.set(key, at);
    };
    switch (b.type) {
      case 'variable':
        return add(mod.variables, b.labels[0]);
      case 'output':
        return add(mod.outputs, b.labels[0]);
      case 'resource':
        return add(mod.resources, `${b.labels[0]}.${b.labels[1]}`);
      case 'data':
        return add(mod.data, `${b.labels[0]}.${b.labels[1]}`);
      case 'module':
        return add(mod.calls, b.labels[0]);
      case 'terraform':
        return mod.terraform.push(at);
      case 'provider':
        return mod.providers.push(at);
      case 'locals':
        for (const a of attrs(b.body)) {
          if (mod.locals.has(a.name)) this.report(file, a.line, 'duplicate', `local "${a.name}" is already declared`);
          else mod.locals.set(a.name, { file, line: a.line });
        }
        return undefined;
      default:
        return undefined;
    }
  }

  async run(dirs) {
    for (const dir of dirs) await this.load(dir);
    for (const dir of dirs) {
      const mod = this.modules.get(dir);
      const requiredProviders = this.checkTerraformBlock(mod);
      this.checkVariables(mod);
      await this.checkReferences(mod);
      await this.checkModuleCalls(mod);
      this.checkProvidersAndSchemas(mod, requiredProviders);
      for (const f of mod.files) policy.check(f, mod, (line, rule, message) => this.report(f.file, line, rule, message));
      if (this.fmt) await this.checkFormat(mod);
    }
    this.findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
    return this.findings;
  }

  // required_version against .terraform-version; required_providers: source and version on each.
  checkTerraformBlock(mod) {
    const providers = new Map();
    if (mod.files.length === 0) return providers;
    const isRoot = mod.terraform.some((t) => blocks(t.block.body, 'cloud').length > 0);
    mod.isRoot = isRoot;
    const where = mod.terraform[0] ?? { file: mod.files[0].file, line: 1 };
    const versionAttr = mod.terraform.map((t) => ({ t, a: attr(t.block.body, 'required_version') })).find((x) => x.a);
    if (!versionAttr) {
      this.report(where.file, where.line, 'terraform-version', 'terraform block has no required_version');
    } else if (this.pin) {
      const constraint = literal(versionAttr.a.expr);
      if (typeof constraint !== 'string' || !admits(constraint, this.pin)) {
        this.report(versionAttr.t.file, versionAttr.a.line, 'terraform-version',
          `required_version ${versionAttr.a.expr} does not admit ${this.pin} from .terraform-version`);
      }
    }
    for (const t of mod.terraform) {
      for (const rp of blocks(t.block.body, 'required_providers')) {
        for (const a of attrs(rp.body)) {
          const source = /\bsource\s*=\s*"([^"]+)"/.exec(a.expr)?.[1];
          const version = /\bversion\s*=\s*"([^"]+)"/.exec(a.expr)?.[1];
          providers.set(a.name, { source: source ?? `hashicorp/${a.name}`, version, file: t.file, line: a.line });
          if (!version) {
            this.report(t.file, a.line, 'provider-unpinned', `provider "${a.name}" has no version constraint`);
          } else if (isRoot && !hasUpperBound(version)) {
            this.report(t.file, a.line, 'provider-unpinned',
              `provider "${a.name}" version "${version}" has no upper bound; pin it in a root configuration`);
          }
          const schema = this.schemas.get(source);
          if (version && schema && !admits(version, schema.version)) {
            this.report(t.file, a.line, 'provider-schema-version',
              `provider "${a.name}" version "${version}" does not admit ${schema.version}, the schema the checker holds (${schema.package})`);
          }
        }
      }
    }
    return providers;
  }

  checkVariables(mod) {
    for (const [name, v] of mod.variables) {
      if (!attr(v.block.body, 'type')) this.report(v.file, v.line, 'variable-type', `variable "${name}" has no type`);
      if (!attr(v.block.body, 'description')) {
        this.report(v.file, v.line, 'variable-description', `variable "${name}" has no description`);
      }
    }
  }

  async checkReferences(mod) {
    for (const f of mod.files) {
      for (const b of blocks(f.body)) {
        if (['terraform', 'moved', 'removed'].includes(b.type)) continue;
        const skip = b.type === 'variable' ? new Set(['type', 'default']) : b.type === 'import' ? new Set(['to']) : new Set();
        await this.checkBodyReferences(mod, f, b.body, new Set(), skip, b.type === 'resource' || b.type === 'data');
      }
    }
  }

  async checkBodyReferences(mod, f, body, iterators, skip, isResource) {
    for (const item of body) {
      if (item.kind === 'attr') {
        if (skip.has(item.name) || (isResource && item.name === 'provider') || item.name === 'providers') continue;
        await this.checkExpression(mod, f, item, iterators);
      } else if (item.type === 'dynamic') {
        const iterator = literal(attr(item.body, 'iterator')?.expr) ?? attr(item.body, 'iterator')?.expr ?? item.labels[0];
        const inner = new Set([...iterators, iterator]);
        for (const a of attrs(item.body)) if (a.name !== 'iterator') await this.checkExpression(mod, f, a, iterators);
        for (const c of blocks(item.body, 'content')) await this.checkBodyReferences(mod, f, c.body, inner, new Set(), false);
      } else if (item.type === 'lifecycle') {
        await this.checkBodyReferences(mod, f, item.body, iterators, new Set(['ignore_changes']), false);
      } else {
        await this.checkBodyReferences(mod, f, item.body, iterators, new Set(), false);
      }
    }
  }

  async checkExpression(mod, f, a, iterators) {
    const wrapped = `\${${a.expr}\n}`;
    const refs = await hcl.getReferencesInExpression(path.basename(f.file), wrapped);
    for (const ref of refs) {
      const line = a.exprLine + (wrapped.slice(0, ref.startPosition).match(/\n/g)?.length ?? 0);
      const parts = ref.value.split('.');
      const [root, first, second] = parts;
      if (iterators.has(root)) continue;
      switch (root) {
        case 'var':
          if (!mod.variables.has(first)) this.report(f.file, line, 'undeclared-variable', `var.${first} is not declared`);
          break;
        case 'local':
          if (!mod.locals.has(first)) this.report(f.file, line, 'undeclared-local', `local.${first} is not declared`);
          break;
        case 'module': {
          const call = mod.calls.get(first);
          if (!call) {
            this.report(f.file, line, 'undeclared-module', `module.${first} is not declared`);
            break;
          }
          const target = this.moduleSourceDir(mod, call);
          const callee = target && this.modules.get(target);
          const output = second?.replace(/^"|"$/g, '');
          if (callee?.ok && output && !/^\d+$/.test(output) && !callee.outputs.has(output)) {
            this.report(f.file, line, 'module-unknown-output', `module.${first} has no output "${output}"`);
          }
          break;
        }
        case 'data':
          if (!mod.data.has(`${first}.${second}`)) {
            this.report(f.file, line, 'undeclared-data', `data.${first}.${second} is not declared`);
          }
          break;
        default:
          if (NON_RESOURCE_ROOTS.has(root)) break;
          if (!mod.resources.has(`${root}.${first}`)) {
            this.report(f.file, line, 'undeclared-resource', `${root}.${first} is not declared`);
          }
      }
    }
  }

  moduleSourceDir(mod, call) {
    const source = literal(attr(call.block.body, 'source')?.expr);
    if (typeof source !== 'string' || !/^\.\.?\//.test(source)) return null;
    return path.resolve(mod.dir, source);
  }

  async checkModuleCalls(mod) {
    for (const [name, call] of mod.calls) {
      const target = this.moduleSourceDir(mod, call);
      if (!target) continue;
      const callee = await this.load(target);
      if (callee.files.length === 0 && callee.ok) callee.ok = false;
      if (!callee.ok) {
        if (!fs.existsSync(target) || callee.files.length === 0) {
          this.report(call.file, call.line, 'module-source', `module "${name}": no configuration at ${path.relative(mod.dir, target)}`);
        }
        continue;
      }
      const given = new Set(attrs(call.block.body).map((a) => a.name));
      for (const a of attrs(call.block.body)) {
        if (!MODULE_META_ARGS.has(a.name) && !callee.variables.has(a.name)) {
          this.report(call.file, a.line, 'module-unknown-input', `module "${name}" has no variable "${a.name}"`);
        }
      }
      for (const [v, decl] of callee.variables) {
        if (!attr(decl.block.body, 'default') && !given.has(v)) {
          this.report(call.file, call.line, 'module-missing-input', `module "${name}": required variable "${v}" is not set`);
        }
      }
    }
  }

  checkProvidersAndSchemas(mod, requiredProviders) {
    const seen = new Set();
    const typed = [
      ...[...mod.resources.values()].map((r) => ({ ...r, kind: 'resources' })),
      ...[...mod.data.values()].map((r) => ({ ...r, kind: 'data_sources' })),
    ];
    for (const r of typed) {
      const type = r.block.labels[0];
      const local = type.split('_')[0];
      const declared = requiredProviders.get(local);
      if (!declared) {
        if (!seen.has(local)) {
          this.report(r.file, r.line, 'provider-undeclared', `provider "${local}" (for ${type}) is not in required_providers`);
          seen.add(local);
        }
        continue;
      }
      const schema = this.schemas.get(declared.source);
      if (!schema) continue;
      const typeSchema = schema[r.kind][type];
      if (!typeSchema) {
        const what = r.kind === 'resources' ? 'resource' : 'data source';
        this.report(r.file, r.line, 'schema-unknown-type', `${declared.source} ${schema.version} has no ${what} type "${type}"`);
        continue;
      }
      this.checkBody(r.file, r.line, r.block.body, typeSchema, type, true);
    }
    for (const p of mod.providers) {
      const name = p.block.labels[0];
      const declared = requiredProviders.get(name);
      if (!declared) {
        this.report(p.file, p.line, 'provider-undeclared', `provider "${name}" is not in required_providers`);
        continue;
      }
      const schema = this.schemas.get(declared.source);
      if (schema?.provider_config) this.checkBody(p.file, p.line, p.block.body, schema.provider_config, `provider "${name}"`, false, true);
    }
  }

  checkBody(file, header, body, schema, where, isResource, isProvider = false) {
    const present = new Map();
    const count = (name) => present.set(name, (present.get(name) ?? 0) + 1);
    const blockSchemas = schema.b ?? {};
    for (const item of body) {
      if (item.kind === 'attr') {
        if (isResource && RESOURCE_META_ARGS.has(item.name)) continue;
        if (isProvider && item.name === 'alias') continue;
        if (item.name in schema.a || blockSchemas[item.name]?.attr) count(item.name);
        else if (item.name in blockSchemas) {
          this.report(file, item.line, 'schema-unknown-argument', `${where}: "${item.name}" is a block; write it as ${item.name} { ... }`);
        } else this.report(file, item.line, 'schema-unknown-argument', `${where}: unsupported argument "${item.name}"`);
        continue;
      }
      if (isResource && RESOURCE_META_BLOCKS.has(item.type)) continue;
      const name = item.type === 'dynamic' ? item.labels[0] : item.type;
      const inner = blockSchemas[name];
      if (!inner) {
        const hint = name in schema.a ? `; "${name}" is an argument: write ${name} = ...` : '';
        this.report(file, item.line, 'schema-unknown-block', `${where}: unsupported block type "${name}"${hint}`);
        continue;
      }
      count(name);
      if (item.type === 'dynamic') {
        for (const c of blocks(item.body, 'content')) this.checkBody(file, c.line, c.body, inner, `${where}.${name}`, false);
      } else {
        this.checkBody(file, item.line, item.body, inner, `${where}.${name}`, false);
        if (inner.max === 1 && present.get(name) > 1) {
          this.report(file, item.line, 'schema-too-many-blocks', `${where}: at most one "${name}" block`);
        }
      }
    }
    for (const [name, required] of Object.entries(schema.a)) {
      if (required && !present.has(name)) {
        this.report(file, header, 'schema-missing-argument', `${where}: required argument "${name}" is missing`);
      }
    }
    for (const [name, b] of Object.entries(blockSchemas)) {
      if (b.min > 0 && !present.has(name)) {
        this.report(file, header, 'schema-missing-block', `${where}: at least one "${name}" block is required`);
      }
    }
  }

  async checkFormat(mod) {
    const { format } = require('@cdktn/hcl-tools');
    for (const f of mod.files) {
      const formatted = await format(f.text);
      if (formatted === f.text) continue;
      const a = f.text.split('\n');
      const b = formatted.split('\n');
      let k = 0;
      while (k < a.length && a[k] === b[k]) k++;
      this.report(f.file, k + 1, 'fmt', 'not in canonical terraform fmt layout (run terraform fmt)');
    }
  }
}

// Checks every configuration directory under root. Options: fmt (bool: also the formatter check),
// base (findings' paths are relative to it), schemasDir, pinFile.
async function checkTree(root, options = {}) {
  const absRoot = path.resolve(root);
  const pinFile = options.pinFile ?? findUp(absRoot, '.terraform-version');
  const pin = pinFile ? fs.readFileSync(pinFile, 'utf8').trim() : null;
  const checker = new Checker({
    base: path.resolve(options.base ?? process.cwd()),
    schemas: loadSchemas(options.schemasDir ?? path.join(__dirname, '..', 'schemas')),
    pin,
    fmt: options.fmt ?? false,
  });
  const findings = await checker.run(configDirs(absRoot));
  if (!pin) findings.unshift({ file: root, line: 1, rule: 'terraform-version', message: 'no .terraform-version found above the tree' });
  return findings;
}

module.exports = { checkTree, configDirs };
