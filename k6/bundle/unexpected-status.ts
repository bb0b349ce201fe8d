// Which answers a live run counts against itself (k6/live-health.ts), kept free of k6 imports so
// Node code and tests can use it too.

/**
 * A response no scenario asks for: a client error other than 429 (404 model_not_found when a
 * profile is sent to the other wire, 400, 401, 413) or no response at all (status 0: connection
 * refused, timeout). 429 and 5xx are the provider model's own answers (limits, overload, faults).
 */
export const isUnexpectedStatus = (status: number): boolean => status === 0 || (status >= 400 && status < 500 && status !== 429);
