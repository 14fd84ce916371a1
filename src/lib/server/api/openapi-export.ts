// The OpenAPI paths of exports (docs/api.md, "Exporting an issue or a piece"), spread into openapi.ts's paths.
import * as z from 'zod';
import { ExportQuery } from './contract';
import { err } from './openapi-parts';

const headers = z.object({
	'content-disposition': z.string().meta({ description: '`attachment; filename="…"`: an issue as `basin-watch-vol-7-issue-12.md|.html|.pdf` (publication, volume, number), a piece as its title (ASCII letters, digits and dashes)' }),
	'content-security-policy': z.string().meta({ description: '`sandbox`: a browser showing the file never runs it as a page of the app' }),
	'x-content-type-options': z.string().meta({ description: '`nosniff`' })
});
const content = {
	'text/markdown': { schema: z.string().meta({ description: 'format=markdown: the archive format' }) },
	'text/html': { schema: z.string().meta({ description: 'format=html: one self-contained print page (CSS paged media, no script)' }) },
	'application/pdf': { schema: z.string().meta({ format: 'binary', description: 'format=pdf: the print page printed by headless Chromium' }) }
};
const unavailable = err(
	'format=pdf only: Chromium is not installed on the server (the message gives the install command, `apt-get install -y chromium`, and GALLEY_CHROMIUM_PATH) or failed to print (the message says why). Nothing was exported; markdown and html still work'
);

export const exportPaths = {
	'/api/issues/{id}/export': {
		get: {
			description:
				'The issue with the pieces the caller may see, in contents order: masthead, contents, then each piece with its authors, body, notes and bios. In html and pdf the contents give each piece’s page number (in the PDF, the page where its title is, page 1 being the first), every piece starts a page, and every page of a piece not approved or published says DRAFT. The whole file is made before it is sent: a failure answers an error, never half a file.',
			requestParams: { path: z.object({ id: z.string().meta({ description: 'Issue id' }) }), query: ExportQuery },
			responses: {
				'200': { description: 'The export, as a download', headers, content },
				'400': err('format missing or not one of markdown, html, pdf (field `format`)'),
				'401': err('Not signed in'),
				'403': err('The caller may not see the issues'),
				'404': err('No such issue'),
				'503': unavailable
			}
		}
	},
	'/api/pieces/{id}/export': {
		get: {
			description: 'One piece alone (no masthead, no contents), in the same print form as in the issue: title, authors, body, notes and bios; DRAFT on every page unless approved or published.',
			requestParams: { path: z.object({ id: z.string().meta({ description: 'Piece id' }) }), query: ExportQuery },
			responses: {
				'200': { description: 'The export, as a download', headers, content },
				'400': err('format missing or not one of markdown, html, pdf (field `format`)'),
				'401': err('Not signed in'),
				'404': err('No such piece, or not visible to the caller'),
				'503': unavailable
			}
		}
	}
};
