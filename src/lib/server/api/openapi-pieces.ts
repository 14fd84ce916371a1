// The OpenAPI paths of pieces (docs/api.md, "Pieces"): the piece and its details, archiving, the transcript
// import, the content, the authors; spread into openapi.ts's paths. `Piece` is shared with the review and versions paths.
import * as z from 'zod';
import { err, ok, jsonBody } from './openapi-parts';
import { PIECE_KINDS, REVIEW_STATES } from '../../domain/pieces';
import { formatMiB, MAX_REQUEST_BODY_BYTES } from '../../domain/limits';
import { AddPieceAuthorBody, ContentQuery, CreatePieceBody, ListPiecesQuery, PieceAuthorBioBody, PieceAuthorsBody, TranscriptBody, UpdatePieceBody } from './contract';
import { reviewPaths } from './openapi-review';

const Actions = z
	.record(z.string(), z.boolean())
	.meta({ description: 'What the caller may do with the piece: view, edit_text, replace_text, update_details, change_review_state, delete, assign (the editor), comment (everyone who may view), archive and restore (the editor), save_version (a named version: whoever may write in the text or move it through review) and restore_version (put a version back: the editor and the piece’s authors, not while locked or archived). edit_text is true also for a contributor assigned only to sections (who writes inside them only, over the websocket); replace_text (a transcript import) needs a right on the whole piece. delete is true only for the editor on an archived piece. edit_text, replace_text and update_details are false for everyone while the piece is approved or published (locked), or archived' });
export const Piece = z
	.object({
		id: z.string(),
		kind: z.enum(PIECE_KINDS),
		title: z.string(),
		reviewState: z.enum(REVIEW_STATES),
		detailsVersion: z.number().int().meta({ description: 'Version of the details (title, kind, authors, bios), also the ETag: name it (`version` or If-Match) in a change to have a stale one refused with 409' }),
		issueId: z.string().nullable().meta({ description: 'The issue it is placed in (PATCH with issueId)' }),
		sectionId: z.string().nullable().meta({ description: 'Its section in that issue; null: in no section' }),
		createdBy: z.string(),
		createdByName: z.string(),
		createdAt: z.string(),
		updatedAt: z.string().meta({ description: 'Moves when the details, the review state or the printed text change' }),
		archivedAt: z.string().nullable().meta({ description: 'When the editor archived it; null for a live piece' }),
		wordCount: z.number().int().meta({ description: 'Words of the printed body (no endnotes, no bios; an interview’s lead-in and turns with their speaker labels), rebuilt after each store of the text' }),
		actions: Actions
	})
	.meta({ id: 'Piece' });
const ListedPiece = Piece.extend({
	issue: z.object({ id: z.string(), number: z.number().int() }).nullable(),
	section: z.object({ id: z.string(), title: z.string() }).nullable(),
	dueOn: z.string().nullable().meta({ description: 'The earliest due date (YYYY-MM-DD) of the piece’s assignments' })
}).meta({ id: 'ListedPiece' });

const PieceAuthor = z
	.object({ contributorId: z.string(), name: z.string(), affiliation: z.string(), profileBio: z.string(), bioOverride: z.string().nullable(), bio: z.string() })
	.meta({ id: 'PieceAuthor' });
const AlreadyPresent = z.number().int().min(0).meta({
	description:
		'How many of the transcript’s turns the piece already has (the same speaker, by printed label, saying the same text; empty turns never count): appending would repeat them. Counted against the piece as it was when the import was applied'
});
const pieceId = z.object({ id: z.string().meta({ description: 'Piece id' }) });
const pieceAuthorId = pieceId.extend({ contributorId: z.string().meta({ description: 'The author’s contributor id' }) });
const ifMatch = z.object({
	'if-match': z.string().optional().meta({ description: 'The details version the caller last saw, as an entity tag ("7"); instead of `version` in the body' })
});
const etag = { ETag: { description: 'The details version, "7"', schema: { type: 'string' as const } } };
const Authors = z.object({ authors: z.array(PieceAuthor), version: z.number().int().meta({ description: 'The details version (also the ETag)' }) }).meta({ id: 'PieceAuthors' });
/** 409 on a stale version: the error and the current state (`piece`, or `authors` and `version`) beside it. */
const stale = (description: string, state: z.ZodRawShape) => ({
	description,
	headers: etag,
	content: { 'application/json': { schema: z.object({ error: z.object({ message: z.string(), field: z.string().optional() }), ...state }) } }
});
const STALE = 'Stale: the body’s `version` (or If-Match) is older than the details now; the body carries the current state, nothing was changed. Or the piece is approved or published (locked), with only `error`';


export const piecePaths = {
	'/api/pieces': {
		get: {
			description: 'The pieces the caller may see (a contributor: those they created or are assigned to), not archived unless `archived=1`: searched, filtered, sorted and paged.',
			requestParams: { query: ListPiecesQuery },
			responses: {
				'200': ok('One page of the list and the number of pieces that match', z.object({ pieces: z.array(ListedPiece), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })),
				'400': err('A bad parameter (an unknown one, a value out of range or not among the allowed ones): `field` names it'),
				'401': err('Not signed in')
			}
		},
		post: { requestBody: jsonBody(CreatePieceBody), responses: { '201': ok('Piece created from its kind’s template, or from `text`', z.object({ piece: Piece })), '400': err('Invalid body'), '401': err('Not signed in') } }
	},
	'/api/pieces/{id}': {
		get: { requestParams: { path: pieceId }, responses: { '200': { ...ok('The piece', z.object({ piece: Piece })), headers: etag }, '401': err('Not signed in'), '404': err('No such piece, or not visible to the caller') } },
		patch: {
			description:
				'Change the title or kind (every open page of the piece is told at once: the `piece` notice of the collaboration protocol), and/or place the piece in an issue’s table of contents with `issueId`, `sectionId`, `position` (the editor only; no version needed; allowed on a locked piece). Positions stay dense: the other pieces shift.',
			requestParams: { path: pieceId, header: ifMatch },
			requestBody: jsonBody(UpdatePieceBody),
			responses: {
				'200': { ...ok('Updated', z.object({ piece: Piece })), headers: etag },
				'400': err('Invalid body, or a malformed If-Match'),
				'403': err('The caller’s role may not change this piece’s details (a reviewer or viewer), or a placing by anyone but the editor'),
				'404': err('No such piece, or not visible to the caller'),
				'409': stale(`${STALE}.`, { piece: Piece }),
				'422': err('A placing naming an unknown issue (`issueId`), or a section that is not one of the issue’s (`sectionId`); nothing was changed')
			}
		},
		delete: {
			description: 'The editor deletes an archived piece with its document and everything of it (versions, comments, assignments, projections). Open connections to it close (4003).',
			requestParams: { path: pieceId },
			responses: { '204': { description: 'Deleted' }, '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller'), '409': err('The piece is not archived: archive it first') }
		}
	},
	'/api/pieces/{id}/archive': {
		post: {
			description: 'The editor archives the piece: it leaves every list and board, and is read-only (text and details) until restored; open editors reconnect read-only (4001). Archiving an archived piece changes nothing.',
			requestParams: { path: pieceId },
			responses: { '200': ok('Archived', z.object({ piece: Piece })), '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller') }
		}
	},
	'/api/pieces/{id}/restore': {
		post: {
			description: 'The editor restores an archived piece: back in the lists, editable as before. Restoring a live piece changes nothing.',
			requestParams: { path: pieceId },
			responses: { '200': ok('Restored', z.object({ piece: Piece })), '401': err('Not signed in'), '403': err('Not the editor'), '404': err('No such piece, or not visible to the caller') }
		}
	},
	...reviewPaths(Piece),
	'/api/pieces/{id}/transcript': {
		post: {
			requestParams: { path: pieceId, query: z.object({ dryRun: z.enum(['1', 'true']).optional().meta({ description: 'Return the blocks it would make; change nothing' }), mode: z.enum(['append', 'replace']).optional() }) },
			requestBody: { content: { 'text/plain': { schema: z.string().meta({ description: 'The raw transcript' }) }, 'application/json': { schema: TranscriptBody } } },
			responses: {
				'200': ok(
					'Dry run: labels found, participants, the blocks it would make, and how many of them the piece already has',
					z.object({ dryRun: z.literal(true), mode: z.enum(['append', 'replace']), alreadyPresent: AlreadyPresent }).passthrough()
				),
				'201': ok('Imported into the live document', z.object({ dryRun: z.literal(false), mode: z.enum(['append', 'replace']), imported: z.number(), alreadyPresent: AlreadyPresent }).passthrough()),
				'400': err('Invalid body'),
				'403': err('Not allowed to edit this piece'),
				'404': err('No such piece'),
				'409': err('The piece is approved or published (locked) until the editor reopens it'),
				'413': err(`The body, or the transcript’s text, is larger than ${formatMiB(MAX_REQUEST_BODY_BYTES)}`),
				'415': err('Neither text/plain nor JSON'),
				'422': err('Empty (blank), binary (not text), no speaker labels, or a whole bulletin issue (its masthead and contents: whole issues are imported with the issue import); the message says which')
			}
		}
	},
	'/api/pieces/{id}/content': {
		get: {
			requestParams: { path: pieceId, query: ContentQuery },
			responses: {
				'200': {
					description:
						'The content rendered on the server from the Yjs state. Markdown and HTML are exports: sent as attachments named after the piece, sandboxed so a browser never runs them as a page of the app',
					headers: z.object({
						'content-disposition': z.string().optional().meta({ description: 'markdown and html: `attachment; filename="<title>.md|.html"` (the title in ASCII letters, digits and dashes)' }),
						'content-security-policy': z.string().optional().meta({ description: 'markdown and html: `sandbox`' })
					}),
					content: { 'application/json': { schema: z.object({}).passthrough() }, 'text/markdown': { schema: z.string() }, 'text/html': { schema: z.string() } }
				},
				'400': err('Unknown format'),
				'404': err('No such piece')
			}
		}
	},
	'/api/pieces/{id}/authors': {
		get: { requestParams: { path: pieceId }, responses: { '200': { ...ok('Authors in order with the bio that ends the piece, and the details version', Authors), headers: etag }, '404': err('No such piece') } },
		put: {
			description: 'Replace the whole list. Send `version` (or If-Match) so a list changed meanwhile is not overwritten; to add, remove or re-word one author, use POST here and /api/pieces/{id}/authors/{contributorId}.',
			requestParams: { path: pieceId, header: ifMatch },
			requestBody: jsonBody(PieceAuthorsBody),
			responses: {
				'200': { ...ok('Authors set', Authors), headers: etag },
				'400': err('Invalid body'),
				'403': err('The caller’s role may not change this piece’s authors (a reviewer or viewer)'),
				'404': err('No such piece'),
				'409': stale(`${STALE}.`, Authors.shape)
			}
		},
		post: {
			description: 'Add one author after the others; the others are untouched. One who is an author already stays as they are (200, nothing changes).',
			requestParams: { path: pieceId, header: ifMatch },
			requestBody: jsonBody(AddPieceAuthorBody),
			responses: {
				'200': { ...ok('The authors now', Authors), headers: etag },
				'400': err('Invalid body, or no such contributor'),
				'403': err('The caller’s role may not change this piece’s authors'),
				'404': err('No such piece'),
				'409': stale(`${STALE}.`, Authors.shape)
			}
		}
	},
	'/api/pieces/{id}/authors/{contributorId}': {
		patch: {
			description: 'Write this author’s bio for this piece (null: the profile’s bio again); the other authors are untouched.',
			requestParams: { path: pieceAuthorId, header: ifMatch },
			requestBody: jsonBody(PieceAuthorBioBody),
			responses: {
				'200': { ...ok('The authors now', Authors), headers: etag },
				'400': err('Invalid body'),
				'403': err('The caller’s role may not change this piece’s authors'),
				'404': err('No such piece, or the contributor is not one of its authors'),
				'409': stale(`${STALE}.`, Authors.shape)
			}
		},
		delete: {
			description: 'Remove this author; the others keep their order. One who is not an author (removed meanwhile): 200, nothing changes.',
			requestParams: { path: pieceAuthorId, header: ifMatch },
			responses: {
				'200': { ...ok('The authors now', Authors), headers: etag },
				'403': err('The caller’s role may not change this piece’s authors'),
				'404': err('No such piece'),
				'409': stale(`${STALE}.`, Authors.shape)
			}
		}
	},
};
