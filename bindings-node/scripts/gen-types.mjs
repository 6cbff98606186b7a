#!/usr/bin/env node
// Generates bindings-node/lib/generated.d.ts from the core's machine-readable description
// (`ibanera::schema::describe()`: the JSON Schema of every user-facing model plus the operation
// table), so the TypeScript types cannot drift from the Rust core.
//
//   node bindings-node/scripts/gen-types.mjs            write the file
//   node bindings-node/scripts/gen-types.mjs --check    fail if regenerating would change it
//   ... --describe FILE                                 read the description from FILE instead
//                                                       of `cargo run -p ibanera --example describe`
//
// Mapping: money (`format: decimal`) -> string; timestamps -> string (ISO 8601 UTC); int64 ->
// number; nullable -> `T | null`; open enums (known values or any string) -> a union of string
// literals widened with `(string & {})`; argument enums -> the exact literals the core accepts.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = join(root, 'bindings-node', 'lib', 'generated.d.ts');

function describe(args) {
  const i = args.indexOf('--describe');
  if (i >= 0) return JSON.parse(readFileSync(args[i + 1], 'utf8'));
  const out = execFileSync(
    process.env.CARGO ?? 'cargo',
    ['run', '--quiet', '-p', 'ibanera', '--features', 'schema', '--example', 'describe'],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  return JSON.parse(out);
}

const pascal = (s) =>
  s
    .split(/[_.]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

function doc(lines, indent = '') {
  const text = lines
    .filter((l) => l !== undefined && l !== null && l !== '')
    .join('\n\n')
    .replace(/\*\//g, '*\\/')
    .trim();
  if (text === '') return '';
  const body = text.split('\n');
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} *${l ? ' ' + l : ''}`).join('\n')}\n${indent} */\n`;
}

const literal = (v) => JSON.stringify(v).replace(/"/g, "'");

/** The TypeScript type of a JSON Schema (as schemars writes them for these models). */
function tsType(schema) {
  if (schema === true || schema === undefined || Object.keys(schema).length === 0) return 'unknown';
  if (schema.$ref) return schema.$ref.replace('#/$defs/', '');
  if (schema.anyOf || schema.oneOf) {
    const parts = schema.anyOf ?? schema.oneOf;
    // Open enum: known values, or any string.
    const known = parts.find((p) => Array.isArray(p.enum));
    if (known && parts.length === 2 && parts.some((p) => p.type === 'string' && !p.enum)) {
      return [...known.enum.map(literal), '(string & {})'].join(' | ');
    }
    return unique(parts.map(tsType)).join(' | ');
  }
  if (Array.isArray(schema.enum)) return schema.enum.map(literal).join(' | ');
  if ('const' in schema) return literal(schema.const);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return unique(
    types.map((t) => {
      switch (t) {
        case 'string':
          return 'string';
        case 'integer':
        case 'number':
          return 'number';
        case 'boolean':
          return 'boolean';
        case 'null':
          return 'null';
        case 'array':
          return `${wrap(tsType(schema.items))}[]`;
        case 'object':
          return 'Record<string, unknown>';
        default:
          return 'unknown';
      }
    }),
  ).join(' | ');
}

const unique = (xs) => [...new Set(xs)];
const wrap = (t) => (/[|&]/.test(t) ? `(${t})` : t);

function fieldNote(schema) {
  const formats = [schema.format, ...(schema.anyOf ?? []).map((s) => s.format)];
  if (formats.includes('decimal')) return 'Money: the exact decimal digits the API sent.';
  if (formats.includes('date-time')) return 'ISO 8601 timestamp in UTC (`Z`).';
  return undefined;
}

function model(name, schema) {
  if (!schema.properties) {
    return `${doc([schema.description])}export type ${name} = ${tsType(schema)};\n`;
  }
  const required = schema.required ?? [];
  const order = unique([...required, ...Object.keys(schema.properties)]);
  const fields = order
    .filter((k) => k in schema.properties)
    .map((k) => {
      const p = schema.properties[k];
      const opt = required.includes(k) ? '' : '?';
      return `${doc([p.description, fieldNote(p)], '  ')}  ${k}${opt}: ${tsType(p)};`;
    });
  return `${doc([schema.description])}export interface ${name} {\n${fields.join('\n')}\n}\n`;
}

const ARG_TYPES = {
  id: 'number',
  count: 'number',
  money: 'MoneyInput',
  text: 'string',
  date: 'string | Date',
  fx_rate_id: 'FxRateId',
};

function argType(arg) {
  if (arg.type === 'enum') return arg.values.map(literal).join(' | ');
  const t = ARG_TYPES[arg.type];
  if (!t) throw new Error(`unknown argument type ${arg.type} of ${arg.name}`);
  return t;
}

function argsName(op) {
  return `${pascal(op.area)}${pascal(op.method)}Args`;
}

function argsInterface(op) {
  const name = argsName(op);
  const head = doc([
    `Arguments of \`client.${op.area}.${camel(op.method)}\` (\`${op.http.method} ${op.http.path}\`).`,
  ]);
  if (op.args.length === 0) {
    return `${head}export type ${name} = Record<string, never>;\n`;
  }
  const fields = op.args.map((a) => {
    const note =
      a.type === 'money'
        ? 'A decimal string, bigint, integer or decimal.js/big.js value.'
        : undefined;
    return `${doc([a.doc, note], '  ')}  ${a.camel}${a.required ? '' : '?'}: ${argType(a)};`;
  });
  return `${head}export interface ${name} {\n${fields.join('\n')}\n}\n`;
}

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

function returnType(op) {
  const m = op.returns.model;
  switch (op.returns.kind) {
    case 'one':
      return `Promise<${m}>`;
    case 'page':
      return `PagePromise<${m}>`;
    case 'list':
      return `Promise<${m}[]>`;
    default:
      throw new Error(`unknown return kind ${op.returns.kind}`);
  }
}

function methods(op) {
  const name = camel(op.method);
  const needsArgs = op.args.some((a) => a.required);
  const ret = returnType(op);
  const lines = [op.doc, `\`${op.http.method} ${op.http.path}\``];
  if (op.moves_money)
    lines.push('Sent at most once: never retried once its bytes may have reached the server.');
  if (op.returns.kind === 'page') {
    lines.push('Resolves to one page; `for await (const item of ...)` walks every page lazily.');
  }
  const d = doc(lines, '  ');
  const out = [];
  if (op.positional) {
    const p = op.args.find((a) => a.name === op.positional);
    out.push(`${d}  ${name}(${p.camel}: ${argType(p)}, options?: CallOptions): ${ret};`);
  }
  out.push(
    `${d}  ${name}(args${needsArgs ? '' : '?'}: ${argsName(op)}, options?: CallOptions): ${ret};`,
  );
  return out.join('\n');
}

async function generate(description) {
  const { models, operations } = description;
  const parts = [
    '// Generated by bindings-node/scripts/gen-types.mjs from `ibanera::schema::describe()`.',
    '// Do not edit: run `npm run gen:types` after changing the core.',
    '',
    "import type { CallOptions, MoneyInput, PagePromise } from './index.js';",
    '',
    '// ---- Models (results): plain objects, exactly what `JSON.stringify` sends on ----',
    '',
  ];
  for (const name of Object.keys(models).sort()) parts.push(model(name, models[name]));
  parts.push('// ---- Arguments: one options object per method, camelCase ----', '');
  for (const op of operations) parts.push(argsInterface(op));
  parts.push('// ---- Methods ----', '');
  const areas = unique(operations.map((o) => o.area));
  for (const area of areas) {
    const ops = operations.filter((o) => o.area === area);
    parts.push(
      `${doc([`\`client.${area}\`: ${ops.map((o) => camel(o.method)).join(', ')}.`])}export interface ${pascal(area)}Api {\n${ops.map(methods).join('\n')}\n}\n`,
    );
  }
  parts.push(
    `/** Every operation name (\`area.method\` as the core spells it). */\nexport type OperationName = ${operations.map((o) => literal(o.name)).join(' | ')};\n`,
  );
  if (description.webhooks) parts.push(...webhookTypes(description.webhooks, models));
  const text = parts.join('\n');
  const config = (await prettier.resolveConfig(target)) ?? {};
  return prettier.format(text, { ...config, parser: 'typescript', filepath: target });
}

// ---- Callbacks (`describe()["webhooks"]`) ----

// The envelope models, written here as unions (one member per type or kind) instead.
const ENVELOPES = new Set(['Event', 'EventType', 'EventData', 'QuickBuyEvent']);

/**
 * Callback types: the data models, `WebhookEventType`, `WebhookEvent` (a union discriminated
 * on `type`: one member per known type from `customer.events`, plus `UnknownWebhookEvent`)
 * and `QuickBuyEvent` (discriminated on `kind`, from `quickbuy.kinds`). A model that the API
 * models already declare must be the same schema (it is then declared once).
 */
function webhookTypes(webhooks, apiModels) {
  const { models, customer, quickbuy } = webhooks;
  const parts = [
    '// ---- Callbacks (webhooks): `webhooks.constructEvent`, `webhooks.constructQuickBuyEvent` ----',
    '',
  ];
  for (const name of Object.keys(models).sort()) {
    if (ENVELOPES.has(name)) continue;
    if (name in apiModels) {
      if (JSON.stringify(apiModels[name]) !== JSON.stringify(models[name])) {
        throw new Error(`webhook model ${name} differs from the API model of the same name`);
      }
      continue;
    }
    parts.push(model(name, models[name]));
  }
  const event = models.Event.properties;
  parts.push(
    `${doc([event.type.description])}export type WebhookEventType = ${tsType(models.EventType)};\n`,
  );
  const known = customer.events.map(
    (e) => `  | { id: string; type: ${literal(e.type)}; data: ${e.model} }`,
  );
  parts.push(
    `${doc([models.Event.description, 'One member per known type; narrow on `type` after `webhooks.isKnown(event)`.'])}export type KnownWebhookEvent =\n${known.join('\n')};\n`,
    `${doc([
      'A callback of a type this package does not know (one the provider added): `data` is the\n' +
        'payload exactly as received (keys as sent; a number a JS number cannot hold exactly is a\n' +
        'string of its digits).',
    ])}export interface UnknownWebhookEvent {\n${doc([event.id.description], '  ')}  id: string;\n  type: string;\n  data: unknown;\n}\n`,
    `${doc([models.Event.description])}export type WebhookEvent = KnownWebhookEvent | UnknownWebhookEvent;\n`,
  );
  const kinds = quickbuy.kinds.map((k) => {
    const member = (models.QuickBuyEvent.oneOf ?? []).find(
      (m) => m.properties?.kind?.const === k.kind,
    );
    return `${doc([member?.description], '  ')}  | { kind: ${literal(k.kind)}; data: ${k.model} }`;
  });
  parts.push(
    `${doc([models.QuickBuyEvent.description])}export type QuickBuyEvent =\n${kinds.join('\n')};\n`,
  );
  return parts;
}

const args = process.argv.slice(2);
const text = await generate(describe(args));
const rel = relative(process.cwd(), target) || target;
if (args.includes('--check')) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== text) {
    const a = current.split('\n');
    const b = text.split('\n');
    const i = a.findIndex((line, n) => line !== b[n]);
    console.error(
      `${rel} is out of date with the core (first difference at line ${i + 1}):\n` +
        `  committed: ${JSON.stringify(a[i] ?? '<end of file>')}\n` +
        `  generated: ${JSON.stringify(b[i] ?? '<end of file>')}\n` +
        'Run `npm run gen:types` and commit the result.',
    );
    process.exit(1);
  }
  console.log(`${rel} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${rel}`);
}
