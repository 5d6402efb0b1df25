/**
 * The schema stages of a route, built at start-up: request validation (params, query, headers,
 * body) and response serializers by status code.
 */
import { responseJsonSchema } from '../schema/response-schema.js';
import { compileSerializer } from '../schema/serializer.js';
import type { StandardSchemaV1 } from '../schema/standard-schema.js';
import { validate, type ValidationTarget } from '../schema/validate.js';
import type { Step } from './compose.js';
import type { Context } from './context.js';
import type { RouteSchema } from './hooks.js';
import type { Serializers } from './reply.js';

type AnyContext = Context<any, any, any, any>;

interface Stage {
  readonly where: Exclude<ValidationTarget, 'body'>;
  readonly schema: StandardSchemaV1;
}

function read(ctx: AnyContext, where: Stage['where']): unknown {
  return where === 'params' ? ctx.params : where === 'query' ? ctx.query : ctx.headers;
}

function write(ctx: AnyContext, where: Stage['where'], value: unknown): void {
  if (where === 'params') ctx.params = value;
  else if (where === 'query') ctx.query = value;
  else ctx.headers = value;
}

/**
 * A stage that validates what the schema names, replaces each part with the validator's
 * output, then runs `next`. Synchronous as long as the validators are and there is no body
 * schema (reading the body is asynchronous). A failure throws the validator's 400.
 */
export function validationStage(schema: RouteSchema | undefined): ((next: Step) => Step) | null {
  if (schema === undefined) return null;
  const stages: Stage[] = [];
  if (schema.params !== undefined) stages.push({ where: 'params', schema: schema.params });
  if (schema.query !== undefined) stages.push({ where: 'query', schema: schema.query });
  if (schema.headers !== undefined) stages.push({ where: 'headers', schema: schema.headers });
  const body = schema.body;
  if (stages.length === 0 && body === undefined) return null;

  return (next) => {
    const readBody = async (ctx: AnyContext): Promise<unknown> => {
      ctx.body = await validate(body!, await ctx.json(), 'body');
      return next(ctx);
    };
    const finish = async (ctx: AnyContext, from: number, pending: Promise<unknown>): Promise<unknown> => {
      write(ctx, stages[from]!.where, await pending);
      for (let i = from + 1; i < stages.length; i++) {
        const s = stages[i]!;
        write(ctx, s.where, await validate(s.schema, read(ctx, s.where), s.where));
      }
      return body === undefined ? next(ctx) : readBody(ctx);
    };
    return (ctx) => {
      for (let i = 0; i < stages.length; i++) {
        const s = stages[i]!;
        const out = validate(s.schema, read(ctx, s.where), s.where);
        if (out instanceof Promise) return finish(ctx, i, out);
        write(ctx, s.where, out);
      }
      return body === undefined ? next(ctx) : readBody(ctx);
    };
  };
}

/**
 * Serializers for the response schemas, indexed by status code; null when there are none.
 * A schema that cannot be enforced (no JSON Schema export, a keyword the serializer cannot
 * honour) throws here, at start-up, naming `route` and the status: never a pass-through.
 */
export function compileResponseSchemas(response: RouteSchema['response'], route = 'a route'): Serializers | null {
  if (response === undefined) return null;
  const out: Serializers = [];
  let any = false;
  for (const key of Object.keys(response)) {
    const status = Number(key);
    if (!Number.isInteger(status) || status < 100 || status > 599) throw new TypeError(`Response schema key "${key}" is not a status code (100..599)`);
    try {
      out[status] = compileSerializer(responseJsonSchema(response[status]));
    } catch (error) {
      throw new TypeError(`Response schema for ${status} of ${route}: ${(error as Error).message}`, { cause: error });
    }
    any = true;
  }
  return any ? out : null;
}
