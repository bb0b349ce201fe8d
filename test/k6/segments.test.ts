import { describe, expect, it } from 'vitest';
import { combineHealth, segmentArgs } from '../../k6/segments.ts';

describe('execution segments', () => {
  it('gives instance i of n its segment of one sequence', () => {
    expect(segmentArgs(0, 1)).toEqual([]);
    expect(segmentArgs(0, 2)).toEqual(['--execution-segment', '0:1/2', '--execution-segment-sequence', '0,1/2,1']);
    expect(segmentArgs(2, 3)).toEqual(['--execution-segment', '2/3:1', '--execution-segment-sequence', '0,1/3,2/3,1']);
    expect(() => segmentArgs(2, 2)).toThrow(RangeError);
  });

  it('adds up the instances\' dropped iterations and responses, naming which instance degraded', () => {
    const base = { requests: 10, simulatedRequests: 10, warnings: [], unexpectedResponses: 0 };
    const health = combineHealth([
      { ...base, droppedIterations: 0, responses: 6, degraded: [] },
      { ...base, droppedIterations: 2, responses: 2, degraded: ['k6 dropped 2 iterations: that traffic was never sent'] },
    ]);
    expect(health).toMatchObject({ droppedIterations: 2, responses: 8, degraded: ['k6 instance 2: k6 dropped 2 iterations: that traffic was never sent'] });
  });
});
