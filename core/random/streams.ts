// One seed, named streams (STYLE §4): every random draw comes from a stream derived from the run's
// seed and a purpose, so adding a draw in one place does not shift any other. Long-lived streams
// (the provider's) are seedrandom's alea. A request iteration gets its own short stream, and
// building an alea per request was a fifth of the simulator's time, so iteration streams are
// splitmix32 seeded from a hash of (seed, traffic name) mixed with the iteration number: the
// same function runs inside the k6 bundle, so both drivers draw identical numbers.

// seedrandom's entry point probes Node's crypto; only its alea generator is used, so import that
// alone: the same module then runs in Node and inside a k6 bundle.
/// <reference path="./alea.d.ts" />
import alea from 'seedrandom/lib/alea.js';
import { hashString, mixKey } from '../model/hash.ts';
import type { Rng } from '../model/rng.ts';

export const stream = (seed: string, purpose: string): Rng => alea(`${seed}\u0000${purpose}`);

/** alea's whole state: four numbers, plain JSON (seedrandom's `state` option). */
export interface StreamState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** A long-lived stream whose position can be saved and resumed (a provider state snapshot). */
export interface ResumableStream {
  rng: Rng;
  state: () => StreamState;
}

/**
 * The same draws as `stream(seed, purpose)`; given a saved `state`, it continues from there, so a
 * run resumed from a snapshot draws what the uninterrupted run drew.
 */
export const resumableStream = (seed: string, purpose: string, state?: StreamState): ResumableStream => {
  const prng = alea(state === undefined ? `${seed}\u0000${purpose}` : '', { state: state ?? true }) as unknown as Rng & {
    state: () => StreamState;
  };
  return { rng: prng, state: () => prng.state() };
};


/** splitmix32: a small, well-mixed generator, uniform in [0, 1). */
const splitmix32 = (seed: number): Rng => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return ((z ^ (z >>> 15)) >>> 0) / 4294967296;
  };
};

/** Per-iteration streams of one traffic entry: `streams(k)` is iteration k's rng. */
export const iterationStreams = (seed: string, trafficName: string): ((iterationInTest: number) => Rng) => {
  const base = hashString(`${seed}\u0000traffic:${trafficName}`);
  return (iterationInTest) => splitmix32(mixKey(base, iterationInTest, 0x5eed));
};

/** The rng a request builder gets for one iteration: identical in the simulator and in k6. */
export const iterationRng = (seed: string, trafficName: string, iterationInTest: number): Rng =>
  iterationStreams(seed, trafficName)(iterationInTest);

/**
 * The draws of a retry's wait after attempt `attempt` of iteration `iteration` (the whole run's
 * number, in a window too): one name for the simulator and the k6 bundle, so both wait the same.
 */
export const retryStream = (seed: string, trafficName: string, iteration: number, attempt: number): Rng =>
  stream(seed, `retry:${trafficName}:${iteration}:${attempt}`);

/** The draw of a VU's think time after iteration `iteration` (the whole run's number). */
export const thinkStream = (seed: string, trafficName: string, iteration: number): Rng => stream(seed, `think:${trafficName}:${iteration}`);
