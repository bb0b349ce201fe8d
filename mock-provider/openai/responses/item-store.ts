// The Responses API's `item_reference` input (`{type: "item_reference", id}`) names an item the
// API stored earlier instead of sending it again. The mock keeps its own output items (the
// assistant message or function_call of each response) for the life of the server, bounded and
// oldest first out, and expands a reference into the item it names, so the prompt is hashed and
// counted as the provider would see it. A reference to an item it never made or has forgotten is
// a 400 naming `input[i]` (issue 13, item 7).

import type { FieldError } from '../../../core/wire/validation.ts';

export const STORED_ITEMS = 10_000;

export interface ItemStore {
  remember: (id: string, item: Record<string, unknown>) => void;
  recall: (id: string) => Record<string, unknown> | undefined;
}

export const createItemStore = (maxItems = STORED_ITEMS): ItemStore => {
  const items = new Map<string, Record<string, unknown>>();
  return {
    remember: (id, item) => {
      items.delete(id);
      items.set(id, item);
      if (items.size > maxItems) items.delete(items.keys().next().value as string);
    },
    recall: (id) => items.get(id),
  };
};

const isReference = (item: unknown): item is { type: 'item_reference'; id: unknown } =>
  typeof item === 'object' && item !== null && (item as { type?: unknown }).type === 'item_reference';

/** The body with every item_reference in `input` replaced by the item it names. */
export const expandReferences = (raw: unknown, store: ItemStore): { ok: true; body: unknown } | { ok: false; error: FieldError } => {
  if (typeof raw !== 'object' || raw === null) return { ok: true, body: raw };
  const input = (raw as { input?: unknown }).input;
  if (!Array.isArray(input) || !input.some(isReference)) return { ok: true, body: raw };
  const expanded: unknown[] = [];
  for (let i = 0; i < input.length; i++) {
    const item = input[i];
    if (!isReference(item)) {
      expanded.push(item);
      continue;
    }
    const stored = typeof item.id === 'string' ? store.recall(item.id) : undefined;
    if (stored === undefined) {
      return {
        ok: false,
        error: {
          message: `input[${i}]: item_reference ${JSON.stringify(item.id)} names no item this mock provider answered (or it was forgotten: it keeps the last ${STORED_ITEMS.toLocaleString('en-US')}); send the item itself, as a client with store: false does`,
          param: `input.${i}`,
        },
      };
    }
    expanded.push(stored);
  }
  return { ok: true, body: { ...(raw as object), input: expanded } };
};
