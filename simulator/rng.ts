// One seed, named streams (STYLE §4): every random draw comes from a stream derived from the run's
// seed and a purpose, so adding a draw in one place does not shift any other. Alea is seedrandom's
// fastest generator; creating one per request iteration costs about a microsecond.

import seedrandom from 'seedrandom';
import type { Rng } from './model/rng.ts';

export const stream = (seed: string, purpose: string): Rng => seedrandom.alea(`${seed}\u0000${purpose}`);

/** The rng a request builder gets for one iteration: identical in the simulator and in k6. */
export const iterationRng = (seed: string, trafficName: string, iterationInTest: number): Rng =>
  stream(seed, `traffic:${trafficName}:${iterationInTest}`);
