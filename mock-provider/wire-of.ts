// Which wire a request speaks, for answers outside the model routes (model listing, unknown
// routes): the path when it names one (/v1/messages… is Anthropic's, /v1/chat… and /v1/responses…
// OpenAI's), then the client's headers (`anthropic-version` or `x-api-key` are Anthropic's SDK,
// `Authorization: Bearer` OpenAI's), then the profile being served.

import type { FastifyRequest } from 'fastify';

export type Wire = 'anthropic' | 'openai';

export const wireOf = (request: FastifyRequest, served: Wire): Wire => {
  const path = request.url;
  if (path.startsWith('/v1/messages')) return 'anthropic';
  if (path.startsWith('/v1/chat/') || path.startsWith('/v1/responses')) return 'openai';
  if (request.headers['anthropic-version'] !== undefined || request.headers['x-api-key'] !== undefined) return 'anthropic';
  if (typeof request.headers.authorization === 'string') return 'openai';
  return served;
};
