// What every part of the OpenAPI document (openapi.ts and its openapi-*.ts paths) builds responses with.
import * as z from 'zod';

export const ErrorBody = z.object({ error: z.object({ message: z.string(), field: z.string().optional() }) }).meta({ id: 'Error' });
export const err = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
export const ok = (description: string, schema: z.ZodType) => ({ description, content: { 'application/json': { schema } } });
export const jsonBody = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
