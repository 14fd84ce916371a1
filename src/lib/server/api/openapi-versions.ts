// The OpenAPI paths of a piece's versions (docs/api.md, "Versions"), spread into openapi.ts's paths.
import * as z from 'zod';
import { VERSION_KINDS } from '../../domain/versions';
import { VersionBody, VersionContentQuery, VersionDiffQuery } from './contract';
import { err, jsonBody, ok } from './openapi-parts';

const versionParams = z.object({ id: z.string().meta({ description: 'Piece id' }), versionId: z.string().meta({ description: 'Version id' }) });
const Version = z
	.object({
		id: z.string(),
		kind: z.enum(VERSION_KINDS).meta({ description: 'review: saved at a review move; named: saved on demand with a label; before_restore: the text as it was just before a restore' }),
		label: z.string().meta({ description: 'What it is: the move ("Submitted for review", "Changes requested", "Approved", …), the name given, or "Before restoring “…”"' }),
		createdAt: z.string(),
		createdBy: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'Who saved it (made the move, named it, restored); null once they are removed' }),
		reviewEventId: z.number().int().nullable().meta({ description: 'kind review: the review move it was saved at' }),
		restoredFrom: z.string().nullable().meta({ description: 'kind before_restore: the version that was restored' })
	})
	.meta({ id: 'Version' });

/** The paths; `Piece` is openapi.ts's piece schema (the restore answers with the piece). */
export function versionPaths(Piece: z.ZodType) {
	return {
		'/api/pieces/{id}/versions': {
			get: {
				requestParams: { path: versionParams.pick({ id: true }) },
				responses: {
					'200': ok('The piece’s versions, newest first (without their text)', z.object({ versions: z.array(Version) })),
					'401': err('Not signed in'),
					'404': err('No such piece, or not visible to the caller')
				}
			},
			post: {
				description: 'Save the text as it is now (live) as a named version. Whoever may write in the text or move the piece through review may, locked or not; a viewer may not. A snapshot is the compacted state of the text, not its edit history.',
				requestParams: { path: versionParams.pick({ id: true }) },
				requestBody: jsonBody(VersionBody),
				responses: {
					'201': ok('Saved', z.object({ version: Version })),
					'400': err('Invalid body (label is not a text)'),
					'403': err('The caller may only view the piece'),
					'404': err('No such piece, or not visible to the caller'),
					'422': err('label is empty or longer than 200 characters once trimmed')
				}
			}
		},
		'/api/pieces/{id}/versions/{versionId}/content': {
			get: {
				requestParams: { path: versionParams, query: VersionContentQuery },
				responses: {
					'200': {
						description: 'The version’s text rendered exactly as GET /api/pieces/{id}/content renders the piece: JSON for clients, Markdown and HTML as exports (attachments, sandboxed)',
						headers: z.object({
							'content-disposition': z.string().optional().meta({ description: 'markdown and html: `attachment; filename="<title>.md|.html"`' }),
							'content-security-policy': z.string().optional().meta({ description: 'markdown and html: `sandbox`' })
						}),
						content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() } }
					},
					'400': err('Unknown format'),
					'404': err('No such piece (or not visible to the caller), or no such version of this piece')
				}
			}
		},
		'/api/pieces/{id}/versions/{versionId}/diff': {
			get: {
				description:
					'What changed from the version to `against` (the current text, or another version), on the rendered piece: insertions in `<ins>`, deletions in `<del>`. A Q&A turn added or removed is marked whole with its speaker, a citation whose source or date changed is deleted and inserted whole, an endnote’s changed text is marked inside its note (the notes follow the text). Whole inserted or deleted blocks carry `data-diff="inserted|deleted"`.',
				requestParams: { path: versionParams, query: VersionDiffQuery },
				responses: {
					'200': {
						description: 'format html: the marked HTML fragment (text/html, `content-security-policy: sandbox`); format json: the same with counts',
						content: {
							'text/html': { schema: z.string() },
							'application/json': {
								schema: z.object({
									html: z.string(),
									insertions: z.number().int().meta({ description: 'Places where text was inserted (a whole block counts once)' }),
									deletions: z.number().int().meta({ description: 'Places where text was deleted' })
								})
							}
						}
					},
					'400': err('Unknown format'),
					'404': err('No such piece (or not visible to the caller), or no such version of this piece (field `against` for the other one)')
				}
			}
		},
		'/api/pieces/{id}/versions/{versionId}/restore': {
			post: {
				description:
					'Put the version’s text back. The text as it is now is saved first as a `before_restore` version; then the old text is applied to the live document as a new change (by difference: unchanged blocks keep their identity), so every open editor sees it at once and an editor offline meanwhile merges their own later edits into it when they reconnect.',
				requestParams: { path: versionParams },
				responses: {
					'200': ok('Restored: the before_restore version saved, and the piece', z.object({ version: Version, piece: Piece })),
					'403': err('Only the editor and the piece’s authors restore'),
					'404': err('No such piece (or not visible to the caller), or no such version of this piece'),
					'409': err('The piece is approved or published (locked: reopen it first), or archived')
				}
			}
		}
	};
}
