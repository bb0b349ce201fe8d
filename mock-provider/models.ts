// GET /v1/models in the shape of whichever SDK asks: Anthropic's (a request with
// `anthropic-version` or `x-api-key`) or OpenAI's. Lists model versions and aliases.

import type { FastifyInstance } from 'fastify';
import { sendAnthropicError } from './anthropic/errors.ts';
import { apiKeyOf } from './auth.ts';
import { invalidRequest, MISSING_KEY_MESSAGE, sendOpenAIError } from './openai/errors.ts';

export const modelsPlugin = async (app: FastifyInstance): Promise<void> => {
  app.get('/v1/models', async (request, reply) => {
    const anthropicClient = request.headers['anthropic-version'] !== undefined || request.headers['x-api-key'] !== undefined;
    if (apiKeyOf(request.headers) === undefined) {
      return anthropicClient ? sendAnthropicError(reply, 401, 'x-api-key header is required') : sendOpenAIError(reply, 401, invalidRequest(MISSING_KEY_MESSAGE));
    }
    const { config } = app.model.state;
    const ids = [...Object.keys(config.models), ...Object.keys(config.aliases)];
    const createdS = Math.floor(app.mock.startedAtMs / 1000);
    if (anthropicClient) {
      const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: new Date(createdS * 1000).toISOString() }));
      return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null };
    }
    return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: createdS, owned_by: config.profile })) };
  });
};
