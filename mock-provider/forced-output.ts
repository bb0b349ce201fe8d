// Structured output and forced tool calls: when a request leaves the model no choice of form, the
// mock answers in that form, with a value valid against the request's schema, drawn from the seed.
// - Anthropic: `tool_choice: {type: "tool", name}` (or `{type: "any"}`: the first tool) → a
//   `tool_use` block whose `input` fits the tool's `input_schema`; `output_config.format` (and the
//   beta's `output_format`) `{type: "json_schema", schema}` → a text block holding JSON.
// - Chat Completions: `tool_choice: {type: "function", function: {name}}` or `"required"` → a
//   tool call whose `arguments` fit the function's `parameters`; `response_format`
//   `{type: "json_schema", json_schema: {schema}}` or `{type: "json_object"}` → JSON content.
// - Responses: `tool_choice: {type: "function", name}` or `"required"` → a `function_call` item;
//   `text.format` `{type: "json_schema", schema}` or `{type: "json_object"}` → JSON output text.
// The JSON text is the answer, so `output_tokens` count it (4 characters a token, as text.ts).

import { sampleJson } from './json-sample.ts';
import { type Answer, answerOf } from './text.ts';

export type ForcedOutput = { kind: 'json'; schema: unknown } | { kind: 'tool'; name: string; schema: unknown };

type Body = Record<string, unknown>;

const isObject = (value: unknown): value is Body => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): Body[] => (Array.isArray(value) ? value.filter(isObject) : []);

const JSON_OBJECT = { type: 'object' };

export const anthropicForced = (body: Body): ForcedOutput | undefined => {
  const choice = body.tool_choice;
  const tools = list(body.tools).filter((t) => typeof t.name === 'string' && t.input_schema !== undefined);
  if (isObject(choice) && (choice.type === 'tool' || choice.type === 'any')) {
    const tool = choice.type === 'tool' ? tools.find((t) => t.name === choice.name) : tools[0];
    if (tool !== undefined) return { kind: 'tool', name: tool.name as string, schema: tool.input_schema };
  }
  const config = isObject(body.output_config) ? body.output_config : undefined;
  const format = config !== undefined && isObject(config.format) ? config.format : isObject(body.output_format) ? body.output_format : undefined;
  if (format !== undefined && format.type === 'json_schema') return { kind: 'json', schema: format.schema };
  return undefined;
};

const functionOf = (tool: Body): Body | undefined => (isObject(tool.function) ? tool.function : undefined);

export const chatForced = (body: Body): ForcedOutput | undefined => {
  const choice = body.tool_choice;
  const functions = list(body.tools).map(functionOf).filter((f): f is Body => f !== undefined && typeof f.name === 'string');
  const named = isObject(choice) && choice.type === 'function' && isObject(choice.function) ? choice.function.name : undefined;
  const tool = named !== undefined ? functions.find((f) => f.name === named) : choice === 'required' ? functions[0] : undefined;
  if (tool !== undefined) return { kind: 'tool', name: tool.name as string, schema: tool.parameters ?? JSON_OBJECT };
  const format = body.response_format;
  if (isObject(format) && format.type === 'json_schema') return { kind: 'json', schema: isObject(format.json_schema) ? format.json_schema.schema : JSON_OBJECT };
  if (isObject(format) && format.type === 'json_object') return { kind: 'json', schema: JSON_OBJECT };
  return undefined;
};

export const responsesForced = (body: Body): ForcedOutput | undefined => {
  const choice = body.tool_choice;
  const functions = list(body.tools).filter((t) => t.type === 'function' && typeof t.name === 'string');
  const named = isObject(choice) && choice.type === 'function' ? choice.name : undefined;
  const tool = named !== undefined ? functions.find((f) => f.name === named) : choice === 'required' ? functions[0] : undefined;
  if (tool !== undefined) return { kind: 'tool', name: tool.name as string, schema: tool.parameters ?? JSON_OBJECT };
  const format = isObject(body.text) && isObject(body.text.format) ? body.text.format : undefined;
  if (format !== undefined && format.type === 'json_schema') return { kind: 'json', schema: format.schema ?? JSON_OBJECT };
  if (format !== undefined && format.type === 'json_object') return { kind: 'json', schema: JSON_OBJECT };
  return undefined;
};

export const CHARS_PER_TOKEN = 4;

/** The JSON text of a forced answer: compact, the same for the same (seed, request). */
export const forcedJson = (forced: ForcedOutput, seedHash: number, requestHash: number): string =>
  JSON.stringify(sampleJson(forced.schema, [seedHash % 0x7fffffff, requestHash % 0x7fffffff]));

/** Output tokens of a JSON text under the default estimator (ceil(characters / 4)). */
export const tokensOfText = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

/** The first `tokens` tokens of a text as an answer, 4 characters a token (cut at max_tokens: then not valid JSON, as on the API). */
export const answerOfText = (text: string, tokens: number): Answer => {
  return answerOf(text.slice(0, tokens * CHARS_PER_TOKEN));
};
