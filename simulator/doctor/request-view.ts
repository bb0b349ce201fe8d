// One logged request as doctor sees it: the model request core/wire made of its body (the same
// segments, token counts and hashes as the mock provider's HTTP edge), and beside each segment the
// block it came from: its path in the body, its text (or JSON as sent), and a hash of the bytes as
// sent. The walk below parses nothing: it names the blocks of the body core/wire already parsed,
// in the order its segment functions emit them, and checks that the two agree in length.

import { hashString, type ModelRequest, type Segment } from '../../core/model/index.ts';
import type { MessagesRequest } from '../../core/wire/anthropic/parse.ts';
import type { ChatRequest } from '../../core/wire/openai/parse.ts';
import type { ResponsesRequest } from '../../core/wire/openai/responses/parse.ts';
import type { WireApi } from '../../core/wire/request.ts';
import type { PackedText, TextPool } from './text-pool.ts';

export interface Block {
  /** `tools[2]`, `system[0]`, `messages[3].content[1]`, `input[0]`. */
  path: string;
  /** The block's text, or its JSON as sent (key order kept) for tools and non-text blocks; '' once packed (`blockText`). */
  text: string;
  /** A kept request's long text, outside the JS heap (see `keptView`). */
  packed?: PackedText;
  /** Hash of the bytes as sent: differs from the segment's hash when only key order moved. */
  rawHash: number;
  /** The parsed value of a JSON block, for naming the keys that moved. */
  json?: unknown;
  /** Tools and system blocks: the part of the prompt meant to be shared. */
  head: boolean;
}

export interface RequestView {
  request: ModelRequest;
  blocks: Block[];
  /** Segments before the first user/assistant turn (tools, system, instructions). */
  headSegments: number;
  /** Indexes of the segments carrying a breakpoint (Anthropic cache_control, top-level included). */
  breakpoints: number[];
}

export type ViewResult = { ok: true; view: RequestView } | { ok: false; message: string };

const withoutCacheControl = (value: Record<string, unknown>): Record<string, unknown> => {
  const { cache_control: _ignored, ...rest } = value;
  return rest;
};

/** A text block's bytes are its segment's (core/wire hashes the text as sent): `rawHash` is filled from the segment in `view`. */
const textBlock = (path: string, text: string, head: boolean): Block => ({ path, text, rawHash: Number.NaN, head });

const jsonBlock = (path: string, value: Record<string, unknown>, head: boolean): Block => {
  const text = JSON.stringify(value);
  return { path, text, rawHash: hashString(text), json: value, head };
};

const anthropicBlocks = (body: MessagesRequest): Block[] => {
  const blocks: Block[] = [];
  (body.tools ?? []).forEach((tool, i) => blocks.push(jsonBlock(`tools[${i}]`, withoutCacheControl(tool), true)));
  if (typeof body.system === 'string') blocks.push(textBlock('system', body.system, true));
  else (body.system ?? []).forEach((b, i) => blocks.push(textBlock(`system[${i}]`, b.text, true)));
  body.messages.forEach((message, m) => {
    if (typeof message.content === 'string') blocks.push(textBlock(`messages[${m}].content`, message.content, false));
    else
      message.content.forEach((b, j) => {
        const path = `messages[${m}].content[${j}]`;
        const text = (b as { text?: unknown }).text;
        blocks.push(b.type === 'text' && typeof text === 'string' ? textBlock(path, text, false) : jsonBlock(path, withoutCacheControl(b), false));
      });
  });
  return blocks;
};

type Content = string | null | undefined | ReadonlyArray<Record<string, unknown>>;
const contentBlock = (path: string, content: Content, head: boolean): Block => {
  if (typeof content === 'string') return textBlock(path, content, head);
  if (content === null || content === undefined) return textBlock(path, '', head);
  const parts = content.map((p) => (typeof p.text === 'string' ? p.text : JSON.stringify(p)));
  return textBlock(path, parts.join('\n'), head);
};

const HEAD_ROLES = new Set(['system', 'developer']);

const chatBlocks = (body: ChatRequest): Block[] => {
  const blocks: Block[] = [];
  (body.tools ?? []).forEach((tool, i) => blocks.push(jsonBlock(`tools[${i}]`, tool, true)));
  body.messages.forEach((message, m) => blocks.push(contentBlock(`messages[${m}].content`, message.content, HEAD_ROLES.has(message.role))));
  return blocks;
};

const responsesBlocks = (body: ResponsesRequest): Block[] => {
  const blocks: Block[] = [];
  (body.tools ?? []).forEach((tool, i) => blocks.push(jsonBlock(`tools[${i}]`, tool, true)));
  if (typeof body.instructions === 'string' && body.instructions !== '') blocks.push(textBlock('instructions', body.instructions, true));
  if (typeof body.input === 'string') blocks.push(textBlock('input', body.input, false));
  else
    body.input.forEach((item, i) => {
      const isMessage = item.role !== undefined && (item.type === undefined || item.type === 'message');
      blocks.push(isMessage ? contentBlock(`input[${i}].content`, item.content, HEAD_ROLES.has(item.role ?? '')) : jsonBlock(`input[${i}]`, item, false));
    });
  return blocks;
};

const headLength = (blocks: Block[]): number => {
  let n = 0;
  while (n < blocks.length && blocks[n].head) n++;
  return n;
};

const breakpointsOf = (segments: readonly Segment[]): number[] => {
  const at: number[] = [];
  segments.forEach((s, i) => {
    if (s.breakpoint !== undefined) at.push(i);
  });
  return at;
};

const view = (request: ModelRequest, blocks: Block[]): ViewResult => {
  if (blocks.length !== request.segments.length) return { ok: false, message: `internal: ${blocks.length} blocks for ${request.segments.length} segments` };
  // Text was hashed once by core/wire (memoised for long texts); only JSON blocks, which the wire
  // canonicalises, need a hash of their bytes as sent.
  for (let i = 0; i < blocks.length; i++) if (Number.isNaN(blocks[i].rawHash)) blocks[i].rawHash = request.segments[i].hash;
  return { ok: true, view: { request, blocks, headSegments: headLength(blocks), breakpoints: breakpointsOf(request.segments) } };
};

/** A logged request as the request-log reader hands it over: the body as its wire API parsed it,
 * and the model request core/wire made of it. */
export interface TranslatedRequest {
  wire: WireApi;
  body: unknown;
  request: Omit<ModelRequest, 'tenant' | 'outputTokens'>;
}

/** Names each segment's block; fails only if the walk and core/wire disagree (a bug, reported as such). */
export const viewRequest = (entry: TranslatedRequest, tenant: string): ViewResult => {
  const request: ModelRequest = { ...entry.request, tenant, outputTokens: 0 };
  switch (entry.wire) {
    case 'anthropic-messages':
      return view(request, anthropicBlocks(entry.body as MessagesRequest));
    case 'openai-chat':
      return view(request, chatBlocks(entry.body as ChatRequest));
    case 'openai-responses':
      return view(request, responsesBlocks(entry.body as ResponsesRequest));
  }
};

/** A long text is packed from this many characters (see text-pool.ts); shorter ones stay strings. */
const PACK_MIN_CHARS = 1_024;

/** The view to keep for later comparisons: the same blocks, long texts packed into pooled buffers. */
export const keptView = (view: RequestView, pool: TextPool): RequestView => ({
  ...view,
  blocks: view.blocks.map((block) => (block.text.length < PACK_MIN_CHARS ? block : { ...block, text: '', packed: pool.pack(block.text) })),
});

/** Gives a kept view's buffers back to the pool: the view is not read again. */
export const releaseView = (view: RequestView, pool: TextPool): void => {
  for (const block of view.blocks) if (block.packed !== undefined) pool.free(block.packed);
};

/** The block with its text as a string (unpacked when it was kept packed). */
export const unpacked = (block: Block): Block => {
  if (block.packed === undefined) return block;
  const { packed, ...rest } = block;
  return { ...rest, text: packed.bytes.toString(packed.encoding) };
};
