// The model never creates randomness: callers pass a stream (seedrandom, derived from the run's
// seed and a purpose name), so a draw added in one place does not shift every other.

/** A uniform draw in [0, 1). */
export type Rng = () => number;
