// The class declarations of bindings-node/lib/index.d.ts (hand-written) and generated.d.ts (the
// area classes) against the loaded package: every declared member exists at runtime and every public runtime member is declared,
// so the types cannot drift from the code (generated.d.ts is checked by types.test.mjs).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import * as ibanera from 'ibanera';
import { ROOT } from './helpers.mjs';

const require = createRequire(import.meta.url);
const ts = require('typescript');

function parse(name) {
  const file = join(ROOT, 'bindings-node', 'lib', name);
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
}

function memberNames(node, source, wantStatic) {
  const out = new Set();
  for (const m of node.members) {
    if (ts.isConstructorDeclaration(m) || !m.name) continue;
    if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) continue;
    const isStatic = m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ?? false;
    if (isStatic !== wantStatic) continue;
    out.add(ts.isComputedPropertyName(m.name) ? m.name.getText(source) : m.name.text);
  }
  return out;
}

/**
 * Class name -> { parent, instance, statics } from index.d.ts, with the members of a same-named
 * interface merged in (`interface Accounts extends AccountsApi`, generated.d.ts).
 */
function declaredClasses() {
  const index = parse('index.d.ts');
  const generated = parse('generated.d.ts');
  const interfaces = new Map();
  for (const source of [index, generated]) {
    for (const node of source.statements) {
      if (!ts.isInterfaceDeclaration(node)) continue;
      const bases = (node.heritageClauses ?? []).flatMap((h) =>
        h.types.map((t) => t.expression.getText(source)),
      );
      interfaces.set(node.name.text, { members: memberNames(node, source, false), bases });
    }
  }
  const interfaceMembers = (name, out = new Set()) => {
    const i = interfaces.get(name);
    if (!i) return out;
    for (const m of i.members) out.add(m);
    for (const b of i.bases) interfaceMembers(b, out);
    return out;
  };
  const classes = new Map();
  for (const source of [index, generated]) {
    for (const node of source.statements) {
      if (!ts.isClassDeclaration(node) || !node.name) continue;
      const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const parent = heritage?.types[0]?.expression.getText(source) ?? null;
      const instance = memberNames(node, source, false);
      for (const m of interfaceMembers(node.name.text)) instance.add(m);
      classes.set(node.name.text, { parent, instance, statics: memberNames(node, source, true) });
    }
  }
  return classes;
}

function declaredWithAncestors(classes, name, kind) {
  const out = new Set();
  for (let c = classes.get(name); c; c = classes.get(c.parent)) {
    for (const m of c[kind]) out.add(m);
  }
  return out;
}

/** Public own members of a runtime object (its prototype methods/getters or static members). */
function publicOwn(obj, skip) {
  return Object.getOwnPropertyNames(obj).filter(
    (n) => !skip.has(n) && !n.startsWith('_') && n !== 'constructor',
  );
}

const STATIC_BUILTINS = new Set(['length', 'name', 'prototype', 'code']);
// Members the JS marks `@internal`: called by the package itself, not part of the API.
const INTERNAL = new Set(['PagePromise.create']);

let sandbox;
let instances;

before(async () => {
  sandbox = await ibanera.Sandbox.start();
  const client = sandbox.client();
  instances = {
    Client: client,
    PagePromise: client.accounts.balances(),
    Recovery: client.recovery,
    Sandbox: sandbox,
    Totp: new ibanera.Totp('JBSWY3DPEHPK3PXP'),
  };
  // Each area's class, as the client holds it (`client.informationRequests`).
  const { AREAS } = require('../../bindings-node/lib/client.js');
  for (const { name, property } of AREAS) instances[name] = client[property];
  // The classes of secret results (a call's result; built here directly).
  const { SECRETS } = require('../../bindings-node/lib/client.js');
  for (const [name, Class] of Object.entries(SECRETS)) instances[name] = new Class({ k: 'v' });
  await instances.PagePromise;
  for (const name of Object.keys(ibanera)) {
    if (name.endsWith('Error')) instances[name] = new ibanera[name]('m', {});
  }
});
after(() => sandbox.close());

test('every class the declarations name is exported, and every exported class is declared', () => {
  const classes = declaredClasses();
  const exported = Object.keys(ibanera).filter((n) => typeof ibanera[n] === 'function');
  assert.deepEqual([...classes.keys()].sort(), exported.sort());
});

test('declared members exist at runtime and runtime members are declared', () => {
  const classes = declaredClasses();
  const problems = [];
  for (const [name, decl] of classes) {
    const Class = ibanera[name];
    const object = instances[name];
    assert.ok(object, `no instance of ${name} to check`);
    for (const member of declaredWithAncestors(classes, name, 'instance')) {
      if (member.startsWith('[')) continue; // symbols (Symbol.asyncIterator) checked by tsc
      if (!(member in object)) problems.push(`${name}.${member} is declared but missing`);
    }
    for (const member of decl.statics) {
      if (!(member in Class)) problems.push(`static ${name}.${member} is declared but missing`);
    }
    const declared = declaredWithAncestors(classes, name, 'instance');
    const own = new Set([
      ...publicOwn(Class.prototype, new Set()),
      ...publicOwn(object, new Set()),
    ]);
    const inherited = new Set(
      [Promise.prototype, Error.prototype, Object.prototype, new Error('x')].flatMap((p) =>
        Object.getOwnPropertyNames(p),
      ),
    );
    for (const member of own) {
      if (!declared.has(member) && !(inherited.has(member) && member !== 'toJSON')) {
        problems.push(`${name}.${member} exists at runtime but is not declared`);
      }
    }
    for (const member of publicOwn(Class, STATIC_BUILTINS)) {
      if (!decl.statics.has(member) && !INTERNAL.has(`${name}.${member}`)) {
        problems.push(`static ${name}.${member} exists at runtime but is not declared`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
