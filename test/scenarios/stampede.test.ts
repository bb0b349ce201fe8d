import { describe } from 'vitest';
import scenario from '../../scenarios/stampede.ts';
import { itMeetsItsExpectationsWithEverySeed } from './helpers.ts';

// The figures (1,010 writes, single-flight's one write) are asserted in test/simulator/run.test.ts.
describe('stampede scenario', () => {
  itMeetsItsExpectationsWithEverySeed(scenario);
});
