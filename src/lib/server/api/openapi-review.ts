// The OpenAPI paths of review moves and a piece's history (docs/api.md, "Review and history"), spread into
// openapi.ts's paths.
import * as z from 'zod';
import { REVIEW_STATES } from '../../domain/pieces';
import { VERSION_KINDS } from '../../domain/versions';
import { ReviewBody } from './contract';
import { err, jsonBody, ok } from './openapi-parts';

const pieceId = z.object({ id: z.string().meta({ description: 'Piece id' }) });
const HistoryActor = z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'Who did it; null for a removed account' });
const MoveEntry = z
	.object({
		type: z.literal('move'),
		at: z.string(),
		actor: HistoryActor,
		from: z.enum(REVIEW_STATES),
		to: z.enum(REVIEW_STATES),
		comment: z.string().nullable().meta({ description: 'The mover’s comment (always there for changes_requested: the reason)' }),
		versionId: z.string().nullable().meta({ description: 'The `review` version saved at this move, or null' })
	})
	.meta({ id: 'HistoryMove' });
const VersionEntry = z
	.object({
		type: z.literal('version'),
		at: z.string(),
		actor: HistoryActor,
		id: z.string().meta({ description: 'The version’s id' }),
		kind: z.enum(VERSION_KINDS.filter((k) => k !== 'review') as [string, ...string[]]).meta({ description: '`named` (saved on demand) or `before_restore` (saved before a restore); `review` versions come with their move' }),
		label: z.string(),
		restoredFrom: z.string().nullable().meta({ description: 'For `before_restore`: the version that was restored' })
	})
	.meta({ id: 'HistoryVersion' });

/** `Piece` is the document's piece schema (openapi.ts), passed in so that both name the same component. */
export function reviewPaths(Piece: z.ZodType) {
	return {
		'/api/pieces/{id}/review': {
			post: {
				description:
					'Move the piece through review. Checked in this order: 404 (may not see it), 403 (the caller’s role never makes this move), 409 (not from the current state), 422 (changes_requested without a comment). Every move is recorded in the history, notifies (in_review → the editors; changes_requested, approved, published, reopened → the piece’s authors, with the comment) and sends a `history` event to the pages open on the piece.',
				requestParams: { path: pieceId },
				requestBody: jsonBody(ReviewBody),
				responses: {
					'200': ok('Moved; approved and published pieces are locked', z.object({ piece: Piece })),
					'400': err('Invalid body'),
					'401': err('Not signed in'),
					'403': err('A move the caller’s role never makes (an author approving, publishing, requesting changes or reopening: only the editor does), or no right to move this piece (a reviewer, a viewer)'),
					'404': err('No such piece, or not visible to the caller'),
					'409': {
						description: 'A move of the caller’s, but not from the current state (`allowed`: the moves they may make now), or someone moved the piece meanwhile',
						content: { 'application/json': { schema: z.object({ error: z.object({ message: z.string(), field: z.string().optional(), allowed: z.array(z.enum(REVIEW_STATES)).optional() }) }) } }
					},
					'422': err('Requesting changes without a comment (or only whitespace): `field` is `comment`; nothing changed')
				}
			}
		},
		'/api/pieces/{id}/history': {
			get: {
				description: 'Every review move of the piece and every version saved on demand or before a restore, newest first.',
				requestParams: { path: pieceId },
				responses: {
					'200': ok('The history, newest first', z.object({ history: z.array(z.discriminatedUnion('type', [MoveEntry, VersionEntry])) })),
					'401': err('Not signed in'),
					'404': err('No such piece, or not visible to the caller')
				}
			}
		}
	};
}
