// Stand-in for `k6/execution`: the VU's current iteration, as the harness scheduled it.
import { host } from '../host.ts';

const execution = {
  get scenario() {
    return host().execution().scenario;
  },
  get vu() {
    return host().execution().vu;
  },
  test: {
    abort: (reason?: string): never => {
      throw new Error(`test aborted: ${reason ?? ''}`);
    },
  },
};

export default execution;
