// The OpenAPI paths of the shared library (docs/api.md): sources, contributor profiles, and the citations and
// Q&A turns read across pieces; spread into openapi.ts's paths.
import * as z from 'zod';
import { err, ok, jsonBody } from './openapi-parts';
import { CitationsQuery, ContributorBody, QaBlocksQuery, SourceBody } from './contract';

const Contributor = z.object({ id: z.string(), userId: z.string().nullable(), name: z.string(), affiliation: z.string(), bio: z.string() }).meta({ id: 'Contributor' });
const CitationRow = z
	.object({
		pieceId: z.string(),
		pieceTitle: z.string(),
		issueId: z.string().nullable(),
		position: z.number().int().meta({ description: 'Order of the citation in its piece, from 0' }),
		source: z.string().meta({ description: 'The source’s name as printed' }),
		url: z.string().nullable(),
		date: z.string().nullable().meta({ description: 'The date as written: "March 12"' })
	})
	.meta({ id: 'Citation' });
const QaBlockRow = z
	.object({
		pieceId: z.string(),
		pieceTitle: z.string(),
		issueId: z.string().nullable(),
		position: z.number().int().meta({ description: 'Order of the turn in its piece, from 0' }),
		blockId: z.string().nullable().meta({ description: 'The turn’s stable id in the document' }),
		role: z.enum(['question', 'answer']),
		speaker: z.string().meta({ description: 'The participant’s label as printed ("AV"), their name when they have no label, "?" when unknown' }),
		speakerName: z.string().nullable(),
		text: z.string().meta({ description: 'Plain text; paragraphs separated by a blank line' }),
		timestamp: z.string().nullable()
	})
	.meta({ id: 'QaBlock' });

export const libraryPaths = {
	'/api/sources': {
		get: { requestParams: { query: z.object({ q: z.string().optional() }) }, responses: { '200': ok('The source library (filtered by name with q)', z.object({ sources: z.array(z.object({ id: z.string(), name: z.string(), url: z.string().nullable() })) })) } },
		post: { requestBody: jsonBody(SourceBody), responses: { '201': ok('Added to the library (anyone signed in)', z.object({ source: z.object({ id: z.string(), name: z.string(), url: z.string().nullable() }) })), '400': err('Invalid body'), '409': err('A source of that name exists') } }
	},
	'/api/sources/{id}': {
		patch: {
			requestParams: { path: z.object({ id: z.string() }) },
			requestBody: jsonBody(SourceBody.partial()),
			responses: {
				'200': ok('Updated (the editor only). Citations already in pieces keep their own copy', z.object({ source: z.object({ id: z.string(), name: z.string(), url: z.string().nullable() }) })),
				'400': err('Invalid body'),
				'403': err('Only the editor renames or re-points a source (contributors add new ones)'),
				'404': err('No such source')
			}
		}
	},
	'/api/citations': {
		get: {
			requestParams: { query: CitationsQuery },
			responses: {
				'200': ok('Citations in the pieces the caller may see, by piece then in text order. Rebuilt from the document whenever it is stored (within about a second of an edit)', z.object({ citations: z.array(CitationRow) })),
				'400': err('Invalid filter'),
				'401': err('Not signed in'),
				'404': err('No such piece (pieceId)')
			}
		}
	},
	'/api/qa-blocks': {
		get: {
			requestParams: { query: QaBlocksQuery },
			responses: {
				'200': ok('Q&A turns of the interviews the caller may see, by piece then in document order. Rebuilt from the document whenever it is stored (within about a second of an edit)', z.object({ qaBlocks: z.array(QaBlockRow) })),
				'400': err('Invalid filter'),
				'401': err('Not signed in'),
				'404': err('No such piece (pieceId)')
			}
		}
	},
	'/api/contributors': {
		get: { responses: { '200': ok('Contributor profiles', z.object({ contributors: z.array(Contributor) })) } }
	},
	'/api/contributors/{id}': {
		patch: { requestParams: { path: z.object({ id: z.string() }) }, requestBody: jsonBody(ContributorBody), responses: { '200': ok('Updated profile', z.object({ contributor: Contributor })), '403': err('Not your profile'), '404': err('No such contributor') } }
	},
};
