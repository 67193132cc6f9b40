'use strict';
// The structure of one .tf file with line numbers: blocks (type, labels, body) and attributes (name and
// the raw expression text).
//
// HCL's WebAssembly parser gives JSON without source positions and cannot tell `x { }` from `x = { }`
// once converted, so this small scanner recovers both. It runs only on text that HCL has already
// accepted, which keeps it simple: it needs to know where expressions end (newline at bracket depth 0,
// or the `}` of a one-line block), and to step over strings, templates, heredocs and comments.

function outline(text) {
  let i = 0;
  let line = 1;
  const n = text.length;

  const advance = () => {
    if (text[i] === '\n') line++;
    i++;
  };
  const advanceBy = (k) => {
    for (let j = 0; j < k && i < n; j++) advance();
  };

  function skipLineComment() {
    while (i < n && text[i] !== '\n') advance();
  }

  function skipBlockComment() {
    advanceBy(2);
    while (i < n && !(text[i] === '*' && text[i + 1] === '/')) advance();
    advanceBy(2);
  }

  function atComment() {
    return text[i] === '#' || (text[i] === '/' && (text[i + 1] === '/' || text[i + 1] === '*'));
  }

  function skipComment() {
    if (text[i] === '/' && text[i + 1] === '*') skipBlockComment();
    else skipLineComment();
  }

  function skipTrivia(newlines) {
    while (i < n) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) advance();
      else if (atComment()) skipComment();
      else break;
    }
  }

  // Inside "${ ... }" or "%{ ... }": up to the matching brace.
  function skipTemplateDirective() {
    advanceBy(2);
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === '"') skipString();
      else if (c === '{') {
        depth++;
        advance();
      } else if (c === '}') {
        advance();
        if (depth-- === 0) return;
      } else advance();
    }
  }

  function skipString() {
    advance();
    while (i < n) {
      const c = text[i];
      if (c === '\\') advanceBy(2);
      else if (c === '"') {
        advance();
        return;
      } else if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') advanceBy(3);
      else if ((c === '$' || c === '%') && text[i + 1] === '{') skipTemplateDirective();
      else advance();
    }
  }

  const HEREDOC = /<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/y;

  function trySkipHeredoc() {
    HEREDOC.lastIndex = i;
    const m = HEREDOC.exec(text);
    if (!m) return false;
    advanceBy(m[0].length);
    while (i < n) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      if (text.slice(i, stop).trim() === m[1]) {
        advanceBy(stop - i);
        return true;
      }
      advanceBy(stop - i + 1);
    }
    return true;
  }

  // Leaves i on the newline or the closing `}` that ends the expression.
  function skipExpression() {
    let depth = 0;
    while (i < n) {
      const c = text[i];
      if (c === '"') skipString();
      else if (c === '<' && text[i + 1] === '<' && trySkipHeredoc()) continue;
      else if (atComment()) {
        if (depth === 0) return;
        skipComment();
      } else if (c === '(' || c === '[' || c === '{') {
        depth++;
        advance();
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
        advance();
      } else if (c === '\n' && depth === 0) return;
      else advance();
    }
  }

  const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

  function readIdent() {
    IDENT.lastIndex = i;
    const m = IDENT.exec(text);
    if (!m) throw new Error(`outline: unexpected ${JSON.stringify(text[i])} at line ${line}`);
    advanceBy(m[0].length);
    return m[0];
  }

  function readLabel() {
    if (text[i] === '"') {
      const start = i;
      skipString();
      return JSON.parse(text.slice(start, i));
    }
    return readIdent();
  }

  function parseBody(closing) {
    const items = [];
    for (;;) {
      skipTrivia(true);
      if (i >= n) return items;
      if (text[i] === '}') {
        if (closing) advance();
        return items;
      }
      const startLine = line;
      const name = readIdent();
      skipTrivia(false);
      if (text[i] === '=' && text[i + 1] !== '=') {
        advance();
        skipTrivia(false);
        const start = i;
        const exprLine = line;
        skipExpression();
        items.push({ kind: 'attr', name, line: startLine, exprLine, expr: text.slice(start, i).trim() });
        continue;
      }
      const labels = [];
      while (text[i] !== '{') {
        labels.push(readLabel());
        skipTrivia(false);
      }
      advance();
      const body = parseBody(true);
      items.push({ kind: 'block', type: name, labels, line: startLine, body });
    }
  }

  return parseBody(false);
}

const attrs = (body) => body.filter((x) => x.kind === 'attr');
const blocks = (body, type) => body.filter((x) => x.kind === 'block' && (type === undefined || x.type === type));
const attr = (body, name) => body.find((x) => x.kind === 'attr' && x.name === name);

// The value of a literal expression (string without templates, number, bool, null), else undefined.
function literal(expr) {
  if (expr === undefined) return undefined;
  if (/^"(?:[^"\\$%]|\\.|\$(?!\{)|%(?!\{))*"$/.test(expr)) return JSON.parse(expr);
  if (/^-?\d+(\.\d+)?$/.test(expr)) return Number(expr);
  if (expr === 'true') return true;
  if (expr === 'false') return false;
  if (expr === 'null') return null;
  return undefined;
}

module.exports = { outline, attrs, blocks, attr, literal };
