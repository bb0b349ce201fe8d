// A binary min-heap of events ordered by (time, priority, sequence). The sequence belongs to the
// queue, so two runs that schedule the same events in the same order pop them in the same order.

export interface Scheduled<T> {
  atMs: number;
  priority: number;
  seq: number;
  item: T;
}

export interface EventQueue<T> {
  heap: Array<Scheduled<T>>;
  nextSeq: number;
}

export const createQueue = <T>(): EventQueue<T> => ({ heap: [], nextSeq: 0 });

const before = <T>(a: Scheduled<T>, b: Scheduled<T>): boolean =>
  a.atMs !== b.atMs ? a.atMs < b.atMs : a.priority !== b.priority ? a.priority < b.priority : a.seq < b.seq;

export const push = <T>(queue: EventQueue<T>, atMs: number, priority: number, item: T): void =>
  pushEntry(queue, { atMs, priority, seq: 0, item });

/**
 * Schedules `entry` (one popped earlier may come back, its fields set anew): it takes the next
 * sequence number, as a fresh one would, so the order is that of `push`. An event that schedules
 * its own successor (an arrival) then costs the queue no object.
 */
export const pushEntry = <T>(queue: EventQueue<T>, entry: Scheduled<T>): void => {
  const heap = queue.heap;
  entry.seq = queue.nextSeq++;
  let i = heap.length;
  heap.push(entry);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(entry, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = entry;
};

export const pop = <T>(queue: EventQueue<T>): Scheduled<T> | undefined => {
  const heap = queue.heap;
  if (heap.length === 0) return undefined;
  const top = heap[0];
  const last = heap.pop() as Scheduled<T>;
  if (heap.length > 0) {
    let i = 0;
    const n = heap.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && before(heap[right], heap[left]) ? right : left;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
  return top;
};

export const size = <T>(queue: EventQueue<T>): number => queue.heap.length;
