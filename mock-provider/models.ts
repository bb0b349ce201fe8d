// GET /v1/models and GET /v1/models/{id} in the shape of whichever SDK asks: Anthropic's (a
// request with `anthropic-version` or `x-api-key`) or OpenAI's. Lists model versions and aliases.
// Every route no plugin owns answers 404 in the asking wire's error shape, as the providers do,
// never fastify's own `{"message":"Route … not found"}`.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendAnthropicError } from './anthropic/errors.ts';
import { apiKeyOf, organisationFor, redactedKey } from './auth.ts';
import { invalidRequest, MISSING_KEY_MESSAGE, sendOpenAIError } from './openai/errors.ts';
import { wireOf } from './wire-of.ts';

// provider-facts §1.12: the documented not_found_error body's message.
const ANTHROPIC_NOT_FOUND = 'The requested resource could not be found.';

export const modelsPlugin = async (app: FastifyInstance): Promise<void> => {
  const anthropicClient = (request: FastifyRequest) => wireOf(request, app.model.state.config.wire) === 'anthropic';
  const unauthenticated = (request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    const key = apiKeyOf(request.headers);
    const resolved = key === undefined ? undefined : organisationFor(key, app.mock.keys);
    if (resolved?.organisation !== undefined) return undefined;
    if (anthropicClient(request)) return sendAnthropicError(reply, 401, resolved === undefined ? 'x-api-key header is required' : resolved.unknown === true ? 'invalid x-api-key' : resolved.refused);
    if (resolved === undefined) return sendOpenAIError(reply, 401, invalidRequest(MISSING_KEY_MESSAGE));
    const message = resolved.unknown === true ? `Incorrect API key provided: ${redactedKey(key ?? '')}. You can find your API key at https://platform.openai.com/account/api-keys.` : resolved.refused;
    return sendOpenAIError(reply, 401, invalidRequest(message, null, 'invalid_api_key'));
  };
  const describe = (request: FastifyRequest, id: string) => {
    const { config } = app.model.state;
    const createdS = Math.floor(app.mock.startedAtMs / 1000);
    return anthropicClient(request)
      ? { type: 'model', id, display_name: id, created_at: new Date(createdS * 1000).toISOString() }
      : { id, object: 'model', created: createdS, owned_by: config.profile };
  };

  app.get('/v1/models', async (request, reply) => {
    const refused = unauthenticated(request, reply);
    if (refused !== undefined) return refused;
    const { config } = app.model.state;
    const ids = [...Object.keys(config.models), ...Object.keys(config.aliases)];
    const data = ids.map((id) => describe(request, id));
    if (anthropicClient(request)) return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null };
    return { object: 'list', data };
  });

  app.get<{ Params: { id: string } }>('/v1/models/:id', async (request, reply) => {
    const refused = unauthenticated(request, reply);
    if (refused !== undefined) return refused;
    const { id } = request.params;
    const { config } = app.model.state;
    if (Object.hasOwn(config.models, id) || Object.hasOwn(config.aliases, id)) return describe(request, id);
    return anthropicClient(request)
      ? sendAnthropicError(reply, 404, `model: ${id}`)
      : sendOpenAIError(reply, 404, invalidRequest(`The model '${id}' does not exist`, 'model', 'model_not_found'));
  });

  // OpenAI's body for an unknown route is `Invalid URL (<METHOD> <path>)`.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    if (anthropicClient(request)) return sendAnthropicError(reply, 404, ANTHROPIC_NOT_FOUND);
    return sendOpenAIError(reply, 404, invalidRequest(`Invalid URL (${request.method} ${path})`));
  });
};
