// Answers with a body that is already JSON text (see anthropic/message.ts's messageJson): with a
// JSON content type set, fastify sends a string as it is, without serializing it again.

import type { FastifyReply } from 'fastify';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export const sendJsonText = (reply: FastifyReply, headers: Record<string, string>, json: string): FastifyReply =>
  reply.headers(headers).type(JSON_CONTENT_TYPE).send(json);
