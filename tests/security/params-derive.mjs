// params-derive.mjs: the request parameters each route's handler reads, found in the C source:
// literal names passed to req_query/req_query_str/req_form/json_field_get/json_object_get or to
// a field getter (get(ctx, "x")), and the names of the field lists (`static const char *const
// fields[] = {...}`, `x_fields`) that the API checks a body against, in the handler and in
// every function it calls, transitively. Used by sqlmap.mjs to refuse a route whose parameters
// are missing from its list (sqlmap-params.mjs).
import fs from 'node:fs';
import path from 'node:path';

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.c')) out.push(p);
  }
  return out;
}

const READ = [
  /\breq_query(?:_str)?\(\s*\w+\s*,\s*"([^"]+)"/g,
  /\breq_form\(\s*\w+\s*,\s*"([^"]+)"/g,
  /\bjson_field_get\(\s*&?\w+\s*,\s*"([^"]+)"/g,
  /\bjson_object_get\(\s*(?:req->json|obj|o|item|el)\s*,\s*"([^"]+)"/g,
  /\bget\(\s*ctx\s*,\s*"([^"]+)"/g,
  // helpers that read a field of the request: form_or(req, "x", default)
  /\bform_or\(\s*req\s*,\s*"([a-z][a-z0-9_.]*)"/g,
  /\.key\s*,\s*"([^"]+)"\s*\)/g,
];
const LIST = /\bconst\s+char\s*\*\s*const\s+(\w+)\s*\[\s*\]\s*=\s*\{([^}]*)\}/g;

/** {functions: name -> [{file, body}], lists: name -> [strings]} over src/. */
export function indexSource(root) {
  const functions = new Map();
  const lists = new Map();
  for (const file of walk(path.join(root, 'src'))) {
    const src = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const m of src.matchAll(LIST)) lists.set(`${file}:${m[1]}`, [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]));
    // OpenBSD style: the name at the start of a line, the body from "{" to "}" at line starts.
    const re = /^([A-Za-z_]\w*)\(([^;{]*?)\)\s*\n\{\n([\s\S]*?)\n\}\n/gm;
    for (const m of src.matchAll(re)) {
      const list = functions.get(m[1]) || [];
      list.push({ file, body: m[3] });
      functions.set(m[1], list);
    }
  }
  return { functions, lists };
}

/** A field list by name: the one of the same file (static), else the only one of that name. */
function listOf(index, file, name) {
  if (index.lists.has(`${file}:${name}`)) return index.lists.get(`${file}:${name}`);
  const all = [...index.lists.keys()].filter((k) => k.endsWith(`:${name}`));
  return all.length === 1 ? index.lists.get(all[0]) : [];
}

/** The parameter names the handler reads (a sorted array). */
export function derive(index, handler) {
  const seen = new Set();
  const names = new Set();
  const visit = (fn, file, depth) => {
    const defs = (index.functions.get(fn) || []).filter((d) => (!file || d.file === file || index.functions.get(fn).length === 1) && !/\/src\/(core|demo)\//.test(d.file));
    for (const d of defs) {
      const key = `${d.file}:${fn}`;
      if (seen.has(key) || depth > 12) continue;
      seen.add(key);
      for (const re of READ) for (const m of d.body.matchAll(re)) names.add(m[1]);
      // Field lists a JSON body is checked against; read_only_fields are accepted and ignored.
      for (const m of d.body.matchAll(LIST)) if (/fields$/.test(m[1]) && m[1] !== 'read_only_fields') for (const s of m[2].matchAll(/"([^"]*)"/g)) names.add(s[1]);
      for (const m of d.body.matchAll(/\b(\w+_fields)\b/g)) if (m[1] !== 'read_only_fields') for (const s of listOf(index, d.file, m[1])) names.add(s);
      for (const m of d.body.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (index.functions.has(m[1]) && m[1] !== fn) visit(m[1], d.file, depth + 1);
      // Functions passed by name (getters, callbacks): x_apply(..., form_get, ...).
      for (const m of d.body.matchAll(/[(,]\s*([A-Za-z_]\w*)\s*(?=[,)])/g)) if (index.functions.has(m[1]) && m[1] !== fn) visit(m[1], d.file, depth + 1);
    }
  };
  visit(handler, null, 0);
  names.delete('');
  return [...names].sort();
}
