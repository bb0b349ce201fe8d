// Stand-in for `k6/http`: a synchronous request answered by the harness (the mock provider in
// process, or real HTTP), with k6's built-in request metrics.
import { host, type HttpResponse } from '../host.ts';

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string;
  responseType?: string;
}

const request = (method: string, url: string, body: string | null | undefined, params: Params = {}): HttpResponse => {
  const h = host();
  const tags = { method, url, ...(params.tags ?? {}) };
  const response = h.request({ method, url, body: body ?? '', headers: params.headers ?? {}, tags });
  const sampleTags = { ...tags, status: String(response.status) };
  h.sample({ metric: 'http_reqs', type: 'counter', isTime: false, value: 1, tags: sampleTags });
  h.sample({ metric: 'http_req_duration', type: 'trend', isTime: true, value: response.timings.duration, tags: sampleTags });
  h.sample({ metric: 'http_req_waiting', type: 'trend', isTime: true, value: response.timings.waiting, tags: sampleTags });
  h.sample({ metric: 'http_req_failed', type: 'rate', isTime: false, value: response.status >= 400 || response.status === 0 ? 1 : 0, tags: sampleTags });
  return response;
};

export const post = (url: string, body?: string | null, params?: Params): HttpResponse => request('POST', url, body, params);
export const get = (url: string, params?: Params): HttpResponse => request('GET', url, null, params);
export default { post, get, request };
