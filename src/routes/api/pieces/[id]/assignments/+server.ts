import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { AssignmentBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { announceAssignmentChange, currentHeadings, requireHeading } from '$lib/server/api/assignments';
import { canPiece } from '$lib/server/policies';
import { listPieceAssignments } from '$lib/server/queries/assignments';
import { AssignmentConflict, assignablePerson, createAssignment, pieceForAssignments } from '$lib/server/commands/assignments';
import type { RequestHandler } from './$types';

/** Who is assigned to the piece (anyone who may see it), and whether the caller may assign. */
export const GET: RequestHandler = route(async ({ locals, params }) => {
	const actor = requireActor(locals);
	const { db } = await galley();
	const subject = await authorizePiece(db, actor, params.id, 'view');
	return json({ assignments: await listPieceAssignments(db, params.id), canAssign: canPiece(actor, 'assign', subject) });
});

/** Assign a person to the piece, or to one section of it (the editor only). */
export const POST: RequestHandler = route(async ({ locals, params, request }) => {
	const actor = requireActor(locals);
	const g = await galley();
	const { db, collab } = g;
	const subject = await authorizePiece(db, actor, params.id, 'view');
	if (!canPiece(actor, 'assign', subject)) return apiError(403, 'Only the editor assigns people to pieces');
	const body = await readJson(request, AssignmentBody);
	const person = await assignablePerson(db, body.userId);
	if (!person) return apiError(404, 'No such person (or removed)', 'userId');
	const headings = await currentHeadings(collab, params.id);
	const sectionId = body.sectionId ?? null;
	if (sectionId) requireHeading(headings, sectionId);
	let assignment;
	try {
		assignment = await createAssignment(db, {
			pieceId: params.id,
			userId: person.id,
			role: body.role,
			sectionId,
			dueOn: body.dueOn ?? null,
			wordTarget: body.wordTarget ?? null,
			assignedBy: actor.id
		});
	} catch (err) {
		if (err instanceof AssignmentConflict) return json({ error: { message: err.message, field: 'userId' }, assignment: err.existing }, { status: 409 });
		throw err;
	}
	const piece = await pieceForAssignments(db, params.id);
	if (piece) await announceAssignmentChange(g, { kind: 'assigned', assignment }, piece, actor, headings);
	return json({ assignment }, { status: 201 });
});
