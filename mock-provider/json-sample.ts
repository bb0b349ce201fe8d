// A JSON value valid against a JSON schema, drawn from the seed: what the mock provider answers
// to structured output (a JSON-schema response format, Anthropic `output_config.format`) and to a
// forced tool call (the tool's `input_schema` / `parameters`). The keywords the SDKs' schemas use
// (zod-to-json-schema, pydantic): type (and type lists), properties / required, items,
// prefixItems, enum, const, anyOf / oneOf / allOf, $ref to $defs or definitions, string formats,
// minLength / maxLength, minimum / maximum (exclusive too), multipleOf, minItems / maxItems,
// nullable. Every defined property is filled in (valid whether or not `additionalProperties` is
// false); unknown keywords are ignored. Words come from faker, seeded per request, so the same
// request gets the same value.

import { faker } from '@faker-js/faker/locale/en';

type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

const isObject = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);

const resolveRef = (root: Schema, ref: string): Schema => {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return {};
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isObject(node)) return {};
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isObject(node) ? node : {};
};

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

const sampleString = (schema: Schema): string => {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength);
  let text: string;
  switch (schema.format) {
    case 'date-time':
      text = faker.date.between({ from: '2024-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }).toISOString();
      break;
    case 'date':
      text = faker.date.between({ from: '2024-01-01T00:00:00Z', to: '2026-12-31T00:00:00Z' }).toISOString().slice(0, 10);
      break;
    case 'time':
      text = '12:00:00Z';
      break;
    case 'email':
      text = faker.internet.email().toLowerCase();
      break;
    case 'uri':
    case 'url':
      text = faker.internet.url();
      break;
    case 'uuid':
      text = faker.string.uuid();
      break;
    default:
      text = faker.lorem.words(3);
  }
  while (text.length < minLength) text += ` ${faker.lorem.word()}`;
  return maxLength === undefined ? text : text.slice(0, maxLength);
};

const sampleNumber = (schema: Schema, integer: boolean): number => {
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  let min = num(schema.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + (integer ? 1 : 0.01) : undefined);
  let max = num(schema.maximum) ?? (exclusiveMax !== undefined ? exclusiveMax - (integer ? 1 : 0.01) : undefined);
  min ??= max !== undefined ? Math.min(0, max) : 0;
  max ??= min + 100;
  const step = num(schema.multipleOf);
  if (step !== undefined && step > 0) {
    const lo = Math.ceil(min / step);
    const hi = Math.floor(max / step);
    return (hi >= lo ? faker.number.int({ min: lo, max: hi }) : lo) * step;
  }
  if (integer) return faker.number.int({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
  return Math.round(faker.number.float({ min, max }) * 100) / 100;
};

/** The type to produce: the schema's own (the first that is not null, in a type list), else inferred from its keywords. */
const typeOf = (schema: Schema): string => {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type.find((t) => t !== 'null') ?? type[0] ?? 'null') as string;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  return 'string';
};

const sampleValue = (root: Schema, input: unknown, depth: number): unknown => {
  let schema: Schema = isObject(input) ? input : {};
  if (typeof schema.$ref === 'string') {
    const { $ref, ...rest } = schema;
    schema = { ...resolveRef(root, $ref as string), ...rest };
  }
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[faker.number.int({ min: 0, max: schema.enum.length - 1 })];
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(branches) && branches.length > 0) {
    // The first branch that is not `null`: a nullable field gets a value.
    const branch = branches.find((b) => !(isObject(b) && b.type === 'null')) ?? branches[0];
    const { anyOf: _a, oneOf: _o, ...rest } = schema;
    return sampleValue(root, { ...rest, ...(isObject(branch) ? branch : {}) }, depth);
  }
  if (Array.isArray(schema.allOf)) {
    const merged: Schema = { ...schema, allOf: undefined };
    for (const part of schema.allOf) {
      if (!isObject(part)) continue;
      const resolved = typeof part.$ref === 'string' ? resolveRef(root, part.$ref) : part;
      Object.assign(merged, resolved, {
        properties: { ...(merged.properties as Schema | undefined), ...(resolved.properties as Schema | undefined) },
        required: [...((merged.required as string[] | undefined) ?? []), ...((resolved.required as string[] | undefined) ?? [])],
      });
    }
    return sampleValue(root, merged, depth);
  }
  const type = typeOf(schema);
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      for (const [name, property] of Object.entries(properties)) {
        // Deep in a recursive schema, only what is required: the value stays finite.
        if (depth >= MAX_DEPTH && !required.has(name)) continue;
        out[name] = sampleValue(root, property, depth + 1);
      }
      return out;
    }
    case 'array': {
      const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
      const minItems = Math.max(num(schema.minItems) ?? 0, prefix.length);
      const maxItems = num(schema.maxItems) ?? Math.max(minItems, 3);
      const count = depth >= MAX_DEPTH ? minItems : Math.min(maxItems, Math.max(minItems, faker.number.int({ min: 1, max: 3 })));
      return Array.from({ length: count }, (_, i) => sampleValue(root, i < prefix.length ? prefix[i] : schema.items, depth + 1));
    }
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return faker.datatype.boolean();
    case 'null':
      return null;
    default:
      return sampleString(schema);
  }
};

/** A value valid against `schema`, the same for the same (seed, request). */
export const sampleJson = (schema: unknown, seed: readonly number[]): unknown => {
  faker.seed([...seed]);
  const root = isObject(schema) ? schema : {};
  return sampleValue(root, root, 0);
};
