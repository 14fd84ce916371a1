// The OpenAPI document of the API (served at /api/openapi.json): the registry of every openapi-<concern>.ts part.
// Each part builds its paths from the request schemas of contract.ts, so the document cannot drift from the validators.
// A new concern: one import and one spread below.
import * as z from 'zod';
import { createDocument } from 'zod-openapi';
import { err, ok } from './openapi-parts';
import { formatMiB, MAX_REQUEST_BODY_BYTES } from '../../domain/limits';
import { peoplePaths } from './openapi-people';
import { Piece, piecePaths } from './openapi-pieces';
import { libraryPaths } from './openapi-library';
import { assignmentPaths } from './openapi-assignments';
import { commentPaths } from './openapi-comments';
import { issuePaths } from './openapi-issues';
import { versionPaths } from './openapi-versions';
import { archivePaths } from './openapi-archive';
import { exportPaths } from './openapi-export';

export function openApiDocument() {
	return createDocument({
		openapi: '3.1.0',
		info: {
			title: 'Galley API',
			version: '1.0.0',
			description:
				'JSON API of Galley. Authenticate with the session cookie (browser) or `Authorization: Bearer <token>` (scripts; create a token with POST /api/tokens). Errors are `{ "error": { "message", "field"? } }`. ' +
				`Request bodies are limited to ${formatMiB(MAX_REQUEST_BODY_BYTES)} on every route, declared or chunked: over it, 413.`
		},
		components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'galley_session', description: '`__Host-galley_session` when the server’s origin is https' } } },
		security: [{ bearer: [] }, { cookie: [] }],
		paths: {
			'/api/health': { get: { security: [], responses: { '200': ok('The database answers', z.object({ ok: z.literal(true), database: z.string() })), '503': err('The database does not answer') } } },
			...peoplePaths,
			...piecePaths,
			...libraryPaths,
			...assignmentPaths,
			...commentPaths,
			...issuePaths,
			...archivePaths,
			...exportPaths,
			...versionPaths(Piece),
			'/api/openapi.json': { get: { security: [], responses: { '200': ok('This document', z.object({}).passthrough()) } } }
		}
	});
}
