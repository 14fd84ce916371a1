// The OpenAPI paths of bulletin issues, their table of contents, and the live events (docs/api.md, "Issues
// and the table of contents" and "Live events"), spread into openapi.ts's document.
import * as z from 'zod';
import { err, ok, jsonBody } from './openapi-parts';
import { PIECE_KINDS, REVIEW_STATES } from '../../domain/pieces';
import { CreateIssueBody, CreateSectionBody, UpdateIssueBody, UpdateSectionBody } from './contract';


export const Issue = z
	.object({
		id: z.string(),
		publication: z.string(),
		tagline: z.string().nullable(),
		volume: z.number().int().meta({ description: 'Printed in Roman numerals: 19 is "VOLUME XIX"' }),
		number: z.number().int(),
		date: z.string().nullable().meta({ description: 'Publication date, YYYY-MM-DD' }),
		createdAt: z.string()
	})
	.meta({ id: 'Issue' });
const Section = z.object({ id: z.string(), issueId: z.string(), title: z.string(), position: z.number().int().meta({ description: 'From 0; dense' }) }).meta({ id: 'Section' });
const BoardAssignment = z
	.object({
		id: z.string(),
		userId: z.string(),
		name: z.string(),
		role: z.enum(['author', 'reviewer', 'viewer']),
		sectionId: z.string().nullable().meta({ description: 'The id of the heading that starts the assigned section of the text; null: the whole piece' }),
		dueOn: z.string().nullable(),
		wordTarget: z.number().int().nullable(),
		detached: z.boolean().meta({ description: 'A section assignment whose heading is no longer in the text (never widened to the whole piece)' })
	})
	.meta({ id: 'BoardAssignment' });
const BoardPiece = z
	.object({
		id: z.string(),
		kind: z.enum(PIECE_KINDS),
		title: z.string(),
		reviewState: z.enum(REVIEW_STATES),
		sectionId: z.string().nullable(),
		position: z.number().int(),
		authors: z.array(z.string()).meta({ description: 'The printed authors’ names, in order' }),
		wordCount: z.number().int().meta({ description: 'Words of the printed body (no endnotes, no bios)' }),
		wordTarget: z
			.number()
			.int()
			.nullable()
			.meta({ description: 'The largest word target of its whole-piece assignments; without one, the sum of its section assignments’ targets; null when none sets one' }),
		assignments: z.array(BoardAssignment),
		dueOn: z.string().nullable().meta({ description: 'The earliest due date of its assignments' }),
		late: z.boolean().meta({ description: 'Past its due day in the publication’s time zone (GALLEY_TIMEZONE) and not yet approved or published' })
	})
	.meta({ id: 'BoardPiece' });
const Board = z
	.object({
		issue: Issue,
		sections: z.array(z.object({ id: z.string(), title: z.string(), position: z.number().int(), pieces: z.array(BoardPiece) })),
		unplaced: z.array(BoardPiece).meta({ description: 'The issue’s pieces in no section' }),
		actions: z.object({ plan: z.boolean().meta({ description: 'Whether the caller may plan the issue (the editor)' }) })
	})
	.meta({ id: 'Board' });
const NextIssue = z
	.object({ publication: z.string(), tagline: z.string().nullable(), volume: z.number().int(), number: z.number().int() })
	.nullable()
	.meta({ description: 'What the next issue is offered: the publication and tagline of the issue created last, its volume and the following number; null before the first issue' });

const issueId = z.object({ id: z.string().meta({ description: 'Issue id' }) });
const sectionId = z.object({ id: z.string().meta({ description: 'Section id' }) });
const ONLY_EDITOR = 'Only the editor plans issues';

export const issuePaths = {
	'/api/issues': {
		get: {
			responses: {
				'200': ok('Every issue, newest first (highest volume, then number), and `next`', z.object({ issues: z.array(Issue), next: NextIssue, actions: z.object({ plan: z.boolean() }) })),
				'401': err('Not signed in')
			}
		},
		post: {
			requestBody: jsonBody(CreateIssueBody),
			responses: {
				'201': ok('Created, with its sections in the order given', z.object({ issue: Issue })),
				'400': err('Invalid body'),
				'401': err('Not signed in'),
				'403': err(ONLY_EDITOR),
				'422': err('`date` is no day of the calendar (2027-02-30)')
			}
		}
	},
	'/api/issues/{id}': {
		get: {
			description: 'The board. Everyone signed in sees the issue and its sections; a contributor only the pieces they created or are assigned to.',
			requestParams: { path: issueId },
			responses: { '200': ok('The issue, its sections in order with their pieces in order, and its pieces in no section', Board), '401': err('Not signed in'), '404': err('No such issue') }
		},
		patch: {
			requestParams: { path: issueId },
			requestBody: jsonBody(UpdateIssueBody),
			responses: {
				'200': ok('Changed', z.object({ issue: Issue })),
				'400': err('Invalid body'),
				'403': err(ONLY_EDITOR),
				'404': err('No such issue'),
				'422': err('`date` is no day of the calendar')
			}
		}
	},
	'/api/issues/{id}/sections': {
		post: {
			requestParams: { path: issueId },
			requestBody: jsonBody(CreateSectionBody),
			responses: { '201': ok('Appended after the other sections', z.object({ section: Section })), '400': err('Invalid body'), '403': err(ONLY_EDITOR), '404': err('No such issue') }
		}
	},
	'/api/sections/{id}': {
		patch: {
			description: 'Rename and/or move the section; the other sections shift, positions stay 0..n-1 (a position past the end: last).',
			requestParams: { path: sectionId },
			requestBody: jsonBody(UpdateSectionBody),
			responses: { '200': ok('Changed', z.object({ section: Section })), '400': err('Invalid body'), '403': err(ONLY_EDITOR), '404': err('No such section') }
		},
		delete: {
			description: 'Delete the section. Its pieces stay in the issue, in no section (`unplaced` on the board), after the issue’s other unplaced pieces.',
			requestParams: { path: sectionId },
			responses: { '200': ok('Deleted', z.object({ ok: z.literal(true), issueId: z.string() })), '403': err(ONLY_EDITOR), '404': err('No such section') }
		}
	},
	'/api/events': {
		get: {
			description:
				'Server-sent events (text/event-stream): nudges to re-read through the API. Always the caller’s `notifications` events; with `issue`, that board’s `board` and `piece` events; with `pieces=1`, every `piece` event; with `piece`, that piece’s `comments` and `history` events. A contributor’s `piece` events do not name the piece.',
			requestParams: {
				query: z.object({
					issue: z.string().optional().meta({ description: "Also hear this issue's board" }),
					pieces: z.enum(['1']).optional().meta({ description: 'Also hear every change of a piece that lists show' }),
					piece: z.string().optional().meta({ description: "Also hear this piece's comments and history (404 when the caller may not see it)" })
				})
			},
			responses: {
				'200': {
					description:
						'The stream: `event: board` `data: {"type":"board","issueId"}`; `event: piece` `data: {"type":"piece","pieceId","issueId"}` (no pieceId for contributors); `event: notifications` `data: {"type":"notifications"}`; `event: comments` / `event: history` `data: {"type":"comments"|"history","pieceId"}`; a comment line every 20 s',
					content: { 'text/event-stream': { schema: z.string() } }
				},
				'400': err('Invalid query'),
				'401': err('Not signed in'),
				'404': err('No such issue, or no such piece')
			}
		}
	}
};
