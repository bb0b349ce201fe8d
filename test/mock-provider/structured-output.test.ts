// Issue 13, item 8: structured output and forced tools through the official SDKs. A forced form
// gets JSON valid against the request's schema (checked here with zod, from whose schema the JSON
// schema is made, as the Vercel AI SDK and LangChain make theirs), the same for the same request,
// with output_tokens counting that JSON (4 characters a token).

import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startServer, type TestServer } from './helpers.ts';

const Person = z.object({
  name: z.string(),
  age: z.int().min(0).max(120),
  email: z.email(),
  tags: z.array(z.enum(['admin', 'user', 'guest'])).min(1).max(3),
  address: z.object({ city: z.string(), zip: z.string().max(5) }),
  nickname: z.string().nullable(),
  joined: z.iso.datetime(),
  score: z.number().min(0).max(1),
});
const SCHEMA = z.toJSONSchema(Person) as Record<string, unknown>;
const tokensOf = (text: string) => Math.ceil(text.length / 4);

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('Anthropic: a forced tool and output_config.format', () => {
  const base = {
    model: 'claude-sonnet-4-6',
    max_tokens: 1_000,
    tools: [
      { name: 'lookup', description: 'unused', input_schema: { type: 'object' as const, properties: { q: { type: 'string' } } } },
      { name: 'record_person', description: 'Record a person.', input_schema: SCHEMA as Anthropic.Tool.InputSchema },
    ],
    tool_choice: { type: 'tool' as const, name: 'record_person' },
    messages: [{ role: 'user' as const, content: 'Who is it?' }],
  };

  it('answers tool_use with input valid against input_schema, stop_reason tool_use, output_tokens counting the JSON', async () => {
    server = await startServer('anthropic');
    const client = new Anthropic({ apiKey: 'cc-acme', baseURL: server.origin, maxRetries: 0 });
    const message = await client.messages.create(base);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toHaveLength(1);
    const block = message.content[0];
    if (block.type !== 'tool_use') throw new Error(`expected tool_use, got ${block.type}`);
    expect(block.name).toBe('record_person');
    expect(Person.safeParse(block.input).success).toBe(true);
    expect(message.usage.output_tokens).toBe(tokensOf(JSON.stringify(block.input)));
    // The same request: the same input.
    const again = await client.messages.create(base);
    expect((again.content[0] as Anthropic.ToolUseBlock).input).toEqual(block.input);
  });

  it('streams the input as input_json_delta: the SDK stream helper assembles the same input', async () => {
    server = await startServer('anthropic');
    const client = new Anthropic({ apiKey: 'cc-acme', baseURL: server.origin, maxRetries: 0 });
    const plain = await client.messages.create(base);
    const streamed = await client.messages.stream(base).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect((streamed.content[0] as Anthropic.ToolUseBlock).input).toEqual((plain.content[0] as Anthropic.ToolUseBlock).input);
    expect(streamed.usage.output_tokens).toBe(plain.usage.output_tokens);
  });

  it('tool_choice any forces the first tool; output_config.format answers JSON text; pre-warming cannot force', async () => {
    server = await startServer('anthropic');
    const post = async (body: object) =>
      (await fetch(`${(server as TestServer).origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'cc-acme' }, body: JSON.stringify(body) })).json() as Promise<Record<string, any>>;
    const any = await post({ ...base, tool_choice: { type: 'any' } });
    expect(any.content[0]).toMatchObject({ type: 'tool_use', name: 'lookup' });
    const { tools: _tools, tool_choice: _choice, ...plain } = base;
    const formatted = await post({ ...plain, output_config: { format: { type: 'json_schema', schema: SCHEMA } } });
    expect(formatted.stop_reason).toBe('end_turn');
    expect(Person.safeParse(JSON.parse(formatted.content[0].text)).success).toBe(true);
    expect(formatted.usage.output_tokens).toBe(tokensOf(formatted.content[0].text));
    const prewarm = await post({ ...base, max_tokens: 0 });
    expect(prewarm.error).toMatchObject({ type: 'invalid_request_error' });
  });
});

describe('OpenAI: response_format, a forced function, and the Responses API', () => {
  const messages = [{ role: 'user' as const, content: 'Who is it?' }];

  it('Chat Completions response_format json_schema: content is JSON valid against the schema', async () => {
    server = await startServer('openai');
    const client = new OpenAI({ apiKey: 'cc-acme', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema: SCHEMA } },
    });
    const content = completion.choices[0].message.content ?? '';
    expect(Person.safeParse(JSON.parse(content)).success).toBe(true);
    expect(completion.usage?.completion_tokens).toBe(tokensOf(content));
    expect(completion.choices[0].finish_reason).toBe('stop');
  });

  it('Chat Completions forced function: tool_calls with valid arguments, finish_reason tool_calls; streamed the same', async () => {
    server = await startServer('openai');
    const client = new OpenAI({ apiKey: 'cc-acme', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const request = {
      model: 'gpt-4o',
      messages,
      tools: [{ type: 'function' as const, function: { name: 'record_person', parameters: SCHEMA } }],
      tool_choice: { type: 'function' as const, function: { name: 'record_person' } },
    };
    const completion = await client.chat.completions.create(request);
    const call = completion.choices[0].message.tool_calls?.[0];
    if (call === undefined || call.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('record_person');
    expect(Person.safeParse(JSON.parse(call.function.arguments)).success).toBe(true);
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(completion.usage?.completion_tokens).toBe(tokensOf(call.function.arguments));
    const streamed = await client.chat.completions.stream(request).finalChatCompletion();
    const streamedCall = streamed.choices[0].message.tool_calls?.[0];
    expect(streamedCall?.type === 'function' ? streamedCall.function.arguments : undefined).toBe(call.function.arguments);
  });

  it('Responses API: text.format json_schema and a forced function_call, plain and streamed', async () => {
    server = await startServer('openai');
    const client = new OpenAI({ apiKey: 'cc-acme', baseURL: `${server.origin}/v1`, maxRetries: 0 });
    const formatted = await client.responses.create({ model: 'gpt-4o', input: 'Who is it?', text: { format: { type: 'json_schema', name: 'person', strict: true, schema: SCHEMA } } });
    expect(Person.safeParse(JSON.parse(formatted.output_text)).success).toBe(true);
    expect(formatted.usage?.output_tokens).toBe(tokensOf(formatted.output_text));
    const request = {
      model: 'gpt-4o',
      input: 'Who is it?',
      tools: [{ type: 'function' as const, name: 'record_person', parameters: SCHEMA, strict: true }],
      tool_choice: { type: 'function' as const, name: 'record_person' },
    };
    const called = await client.responses.create(request);
    const item = called.output[0];
    if (item.type !== 'function_call') throw new Error(`expected function_call, got ${item.type}`);
    expect(Person.safeParse(JSON.parse(item.arguments)).success).toBe(true);
    const streamed = await client.responses.stream(request).finalResponse();
    const streamedItem = streamed.output[0];
    expect(streamedItem.type === 'function_call' ? streamedItem.arguments : undefined).toBe(item.arguments);
  });
});
