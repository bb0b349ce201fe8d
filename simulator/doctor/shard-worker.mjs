// Worker threads start without the main thread's TypeScript loader: register tsx, then run the
// worker proper.
import('tsx/esm/api').then(({ register }) => {
  register();
  return import('./shard-worker.ts');
});
