import { describe, expect, it } from 'vitest';
import { createSharder, tenantFromBytes, tenantFromText } from '../../../simulator/doctor/line-tenant.ts';

const body = { model: 'm', messages: [{ role: 'user', content: 'a "tenant" in text, and \\u00e9 escaped' }], metadata: { tenant: 'inner' } };
const bytesOf = (line: string): [Buffer, number, number] => {
  // The line inside a chunk with other lines around it, as the reader gives it.
  const chunk = Buffer.from(`{"tenant":"before"}\n${line}\n{"tenant":"after"}`);
  const start = chunk.indexOf('\n') + 1;
  return [chunk, start, chunk.lastIndexOf('\n')];
};

describe('a log line\u2019s tenant from its bytes', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['tenant before body', JSON.stringify({ ts: 1, tenant: 'acme', session: 's', body: { ...body, metadata: {} } }), 'acme'],
    ['tenant before body, a "tenant" key inside it too', JSON.stringify({ ts: 1, tenant: 'acme', body }), undefined],
    ['spaces around the colon', `{ "ts" : 1 , "tenant" :  "acme" , "body": {} }`, 'acme'],
    ['no tenant, "tenant" only inside the body', JSON.stringify({ ts: 1, body }), undefined],
    ['no tenant at all', JSON.stringify({ ts: 1, session: 's', body: { model: 'm' } }), ''],
    ['tenant after body', JSON.stringify({ ts: 1, body: { model: 'm' }, tenant: 'late' }), undefined],
    ['the key spelled with an escape', `{"t\\u0065nant":"escaped","ts":1,"body":{}}`, undefined],
    ['duplicate keys', `{"tenant":"first","ts":1,"body":{},"tenant":"second"}`, undefined],
    ['an escape in the value', JSON.stringify({ tenant: 'quote"d', body: {} }), undefined],
    ['a number for tenant', JSON.stringify({ tenant: 7, body: {} }), undefined],
    ['non-ASCII tenant', JSON.stringify({ ts: 1, tenant: 'zürich', body: {} }), 'zürich'],
    ['not an object', '[1, 2]', undefined],
  ];
  it.each(cases)('%s', (_, line, fromBytes) => {
    expect(tenantFromBytes(...bytesOf(line))).toBe(fromBytes);
    // Whenever the bytes tell, they tell what JSON.parse reads.
    if (fromBytes !== undefined) expect(tenantFromText(line)).toBe(fromBytes);
  });

  it('parses the line when the bytes cannot tell: the last duplicate, the escaped key, none for a non-string', () => {
    expect(tenantFromText(`{"tenant":"first","ts":1,"body":{},"tenant":"second"}`)).toBe('second');
    expect(tenantFromText(`{"t\\u0065nant":"escaped","ts":1,"body":{}}`)).toBe('escaped');
    expect(tenantFromText(JSON.stringify({ tenant: 7 }))).toBeUndefined();
    expect(tenantFromText('{oops')).toBeUndefined();
  });

  it('gives tenants to shards in order of first appearance, each to the shard with the fewest lines so far', () => {
    const sharder = createSharder(3);
    const line = (tenant: string): number => sharder.shardOf(...bytesOf(JSON.stringify({ ts: 1, tenant, body: {} })));
    // a → 0; b → 1; a, a; c → 2; d → 1 (1 line against 3 and 1: the lowest of the least loaded); {oops → 0
    expect(['a', 'b', 'a', 'a', 'c', 'd', 'b'].map(line)).toEqual([0, 1, 0, 0, 2, 1, 1]);
    expect(sharder.shardOf(...bytesOf('{oops'))).toBe(0);
    expect(sharder.tenants()).toBe(4);
  });
});
