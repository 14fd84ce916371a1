// The OpenAPI paths of the archive (docs/api.md, "Importing an archived issue"), spread into openapi.ts's paths.
import * as z from 'zod';
import { ImportIssueBody, ImportIssueQuery } from './contract';
import { err, ok } from './openapi-parts';
import { Issue } from './openapi-issues';
import { PIECE_KINDS } from '../../domain/pieces';

const Named = z.object({ name: z.string(), new: z.boolean().meta({ description: 'Not yet in Galley: the import creates it' }) });
const ImportPreview = z
	.object({
		issue: z.object({ publication: z.string(), tagline: z.string().nullable(), volume: z.number().int().meta({ description: 'From the masthead’s Roman numerals' }), number: z.number().int() }),
		pieces: z.array(
			z.object({
				kind: z.enum(PIECE_KINDS),
				title: z.string(),
				authors: z.array(z.string()),
				paragraphs: z.number().int().meta({ description: 'Paragraphs of the body (an interview’s: of its turns), headings, bios and notes not counted' }),
				citations: z.number().int(),
				endnotes: z.number().int(),
				qaTurns: z.number().int()
			})
		),
		contributors: z.array(Named).meta({ description: 'The authors, matched to contributors by name (case aside); new ones are created with the bio the issue prints' }),
		sources: z.array(Named).meta({ description: 'The sources the citations name, matched to the library by name; new ones are added' }),
		warnings: z.array(z.string()).meta({ description: 'What the reader noticed and did: page markers dropped, cut sentences joined, notes missing…' })
	})
	.meta({ id: 'ArchiveImportPreview' });

export const archivePaths = {
	'/api/issues/import': {
		post: {
			description:
				'Import an archived issue (the editor only): the body is its text, `text/plain` as archived (or JSON `{ text }`). Read: the masthead, the contents, every piece in order with its kind, title, authors, body, headings, citations (as citation marks; their sources added to the library when new), endnotes with their Notes, an interview’s participants, lead-in and turns, and the bios (each set on its contributor, created when new, matched by name when known). Page markers are dropped and sentences cut by a page break joined. With `?dryRun=1`: what was found, nothing written. Without: one transaction writes the issue, its sections, its pieces (`published`: an archived issue was printed; the editor reopens a piece to edit it), their authors, the contributors and the sources — all or nothing.',
			requestParams: { query: ImportIssueQuery },
			requestBody: { content: { 'text/plain': { schema: z.string() }, 'application/json': { schema: ImportIssueBody } } },
			responses: {
				'200': ok('The dry run: what the import would write', ImportPreview),
				'201': ok('Imported: the new issue (its board is /issues/{id})', z.object({ issue: Issue })),
				'400': err('A JSON body that is not `{ text }`, or a bad `dryRun`'),
				'401': err('Not signed in'),
				'403': err('Not the editor'),
				'415': err('Neither text/plain nor JSON'),
				'422': err('Nothing written: the text is empty, binary (a PDF, an image), not an issue (no "VOLUME …, ISSUE …" masthead), a masthead with no pieces, or 5 MiB or more (field `text`); the message says which')
			}
		}
	}
};
