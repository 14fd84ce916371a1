// The OpenAPI paths of assignments (docs/api.md, "Assignments"), spread into openapi.ts's paths.
import * as z from 'zod';
import { ASSIGNMENT_ROLES } from '../../domain/assignments';
import { PIECE_KINDS, REVIEW_STATES } from '../../domain/pieces';
import { AssignmentBody, AssignmentPatchBody } from './contract';
import { err, jsonBody, ok } from './openapi-parts';

const pieceId = z.object({ id: z.string().meta({ description: 'Piece id' }) });
const Assignment = z
	.object({
		id: z.string(),
		pieceId: z.string(),
		userId: z.string(),
		name: z.string().meta({ description: 'The assignee’s name' }),
		role: z.enum(ASSIGNMENT_ROLES),
		sectionId: z.string().nullable().meta({ description: 'The id of the heading that starts the assigned section; null: the whole piece' }),
		dueOn: z.string().nullable().meta({ description: 'YYYY-MM-DD in the publication’s time zone' }),
		wordTarget: z.number().int().nullable(),
		assignedBy: z.string().nullable(),
		createdAt: z.string()
	})
	.meta({ id: 'Assignment' });
const MyAssignment = z
	.object({
		id: z.string(),
		role: z.enum(ASSIGNMENT_ROLES),
		sectionId: z.string().nullable(),
		sectionTitle: z.string().nullable().meta({ description: 'The section’s heading as last stored (null for the whole piece, or not known yet)' }),
		detached: z.boolean().meta({ description: 'The section’s heading is no longer in the piece: the assignment names nothing (never widened to the whole piece)' }),
		dueOn: z.string().nullable(),
		wordTarget: z.number().int().nullable(),
		late: z.boolean().meta({ description: 'Past its due day in the publication’s time zone and not yet approved' }),
		dueSoon: z.boolean().meta({ description: 'Due within 24 hours (not late, not approved)' }),
		waiting: z.boolean().meta({ description: 'The piece waits for this person after a review move: changes requested (authors) or in review (reviewers)' }),
		createdAt: z.string(),
		piece: z.object({
			id: z.string(),
			title: z.string(),
			kind: z.enum(PIECE_KINDS),
			reviewState: z.enum(REVIEW_STATES),
			wordCount: z.number().int(),
			issue: z.object({ id: z.string(), publication: z.string(), volume: z.number().int(), number: z.number().int() }).nullable()
		})
	})
	.meta({ id: 'MyAssignment' });
const assignmentConflict = (description: string) => ({
	description,
	content: { 'application/json': { schema: z.object({ error: z.object({ message: z.string(), field: z.string().optional() }), assignment: Assignment }) } }
});

export const assignmentPaths = {
	'/api/pieces/{id}/assignments': {
		get: {
			requestParams: { path: pieceId },
			responses: {
				'200': ok('Everyone assigned to the piece or one of its sections, in the order assigned, and whether the caller may assign (the editor)', z.object({ assignments: z.array(Assignment), canAssign: z.boolean() })),
				'401': err('Not signed in'),
				'404': err('No such piece, or not visible to the caller')
			}
		},
		post: {
			description: 'Assign a person to the piece, or to the section starting at one of its headings (`sectionId`). The assignee is notified (`assigned`); open connections to the piece re-check their rights (4001).',
			requestParams: { path: pieceId },
			requestBody: jsonBody(AssignmentBody),
			responses: {
				'201': ok('Assigned', z.object({ assignment: Assignment })),
				'400': err('Invalid body (role, a dueOn that is no YYYY-MM-DD day, a wordTarget that is no positive whole number)'),
				'403': err('Only the editor assigns'),
				'404': err('No such piece (or not visible to the caller), or no such person (field `userId`; removed people too)'),
				'409': assignmentConflict('The person is already assigned to this scope (the whole piece, or this section): the body carries that `assignment`; change it instead'),
				'422': err('sectionId is the id of no heading of the piece’s current text')
			}
		}
	},
	'/api/pieces/{id}/assignments/{assignmentId}': {
		patch: {
			description: 'Change the role, section, due day or word target; null clears sectionId (the whole piece), dueOn and wordTarget. A change of role, section or due day notifies the assignee (`assigned`, with the new terms).',
			requestParams: { path: pieceId.extend({ assignmentId: z.string() }) },
			requestBody: jsonBody(AssignmentPatchBody),
			responses: {
				'200': ok('Changed', z.object({ assignment: Assignment })),
				'400': err('Invalid body'),
				'403': err('Only the editor assigns'),
				'404': err('No such piece, or no such assignment of it'),
				'409': assignmentConflict('The person already holds an assignment for the new section'),
				'422': err('sectionId is the id of no heading of the piece’s current text')
			}
		},
		delete: {
			description: 'Remove the assignment: the person is notified (`unassigned`) and loses its rights at once (open connections close with 4001, or 4003 when nothing is left).',
			requestParams: { path: pieceId.extend({ assignmentId: z.string() }) },
			responses: { '200': ok('Removed', z.object({ ok: z.literal(true) })), '403': err('Only the editor assigns'), '404': err('No such piece, or no such assignment of it') }
		}
	},
	'/api/me/assignments': {
		get: {
			responses: {
				'200': ok('The caller’s assignments on pieces that are not archived: those waiting for them first, then late ones, then by due day (none last); `timeZone` is the publication’s', z.object({ assignments: z.array(MyAssignment), timeZone: z.string() })),
				'401': err('Not signed in')
			}
		}
	}
};
