import { describe, expect, it } from 'vitest';
import { createQueue, pop, push } from '../../simulator/engine/queue.ts';

describe('event queue', () => {
  it('pops by time, then priority, then the order events were scheduled', () => {
    const q = createQueue<string>();
    push(q, 20, 1, 'late');
    push(q, 10, 2, 'arrival-a');
    push(q, 10, 0, 'provider-event');
    push(q, 10, 2, 'arrival-b');
    push(q, 5, 9, 'first');
    const order: string[] = [];
    for (let e = pop(q); e; e = pop(q)) order.push(e.item);
    expect(order).toEqual(['first', 'provider-event', 'arrival-a', 'arrival-b', 'late']);
  });

  it('keeps heap order over many random insertions', () => {
    const q = createQueue<number>();
    let x = 12345;
    for (let i = 0; i < 5_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      push(q, x % 1000, 0, i);
    }
    let last = -1;
    let n = 0;
    for (let e = pop(q); e; e = pop(q)) {
      expect(e.atMs).toBeGreaterThanOrEqual(last);
      last = e.atMs;
      n++;
    }
    expect(n).toBe(5_000);
  });
});
