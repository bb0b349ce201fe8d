// Worker threads start without the main thread's TypeScript loader: register tsx, then run the
// worker proper (as simulator/sweep/point-worker.mjs does).
import('tsx/esm/api').then(({ register }) => {
  register();
  return import('./worker.ts');
});
