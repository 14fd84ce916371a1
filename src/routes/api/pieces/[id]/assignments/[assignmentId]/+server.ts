import { json } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { apiError, readJson, requireActor, route } from '$lib/server/api/http';
import { AssignmentPatchBody } from '$lib/server/api/contract';
import { authorizePiece } from '$lib/server/api/pieces';
import { announceAssignmentChange, currentHeadings, requireHeading } from '$lib/server/api/assignments';
import { canPiece } from '$lib/server/policies';
import { findAssignment } from '$lib/server/queries/assignments';
import { AssignmentConflict, pieceForAssignments, removeAssignment, updateAssignment } from '$lib/server/commands/assignments';
import type { RequestHandler } from './$types';

/** The piece's subject for an assignment change: 404 when the caller may not see it, 403 unless the editor. */
async function authorizeAssigning(locals: App.Locals, pieceId: string) {
	const actor = requireActor(locals);
	const g = await galley();
	const subject = await authorizePiece(g.db, actor, pieceId, 'view');
	if (!canPiece(actor, 'assign', subject)) return { refused: apiError(403, 'Only the editor assigns people to pieces'), actor, g } as const;
	return { refused: null, actor, g } as const;
}

/** Change an assignment's role, section, due day or word target (null clears the last three). */
export const PATCH: RequestHandler = route(async ({ locals, params, request }) => {
	const { refused, actor, g } = await authorizeAssigning(locals, params.id);
	if (refused) return refused;
	const body = await readJson(request, AssignmentPatchBody);
	if (!(await findAssignment(g.db, params.id, params.assignmentId))) return apiError(404, 'No such assignment of this piece');
	const headings = await currentHeadings(g.collab, params.id);
	if (body.sectionId) requireHeading(headings, body.sectionId);
	let changed;
	try {
		changed = await updateAssignment(g.db, params.id, params.assignmentId, body);
	} catch (err) {
		if (err instanceof AssignmentConflict) return json({ error: { message: err.message, field: 'sectionId' }, assignment: err.existing }, { status: 409 });
		throw err;
	}
	if (!changed) return apiError(404, 'No such assignment of this piece');
	const piece = await pieceForAssignments(g.db, params.id);
	if (piece) await announceAssignmentChange(g, { kind: 'changed', ...changed }, piece, actor, headings);
	return json({ assignment: changed.after });
});

/** Remove an assignment: the person loses what it gave them at once (their open editor reconnects or closes). */
export const DELETE: RequestHandler = route(async ({ locals, params }) => {
	const { refused, actor, g } = await authorizeAssigning(locals, params.id);
	if (refused) return refused;
	const removed = await removeAssignment(g.db, params.id, params.assignmentId);
	if (!removed) return apiError(404, 'No such assignment of this piece');
	const piece = await pieceForAssignments(g.db, params.id);
	if (piece) await announceAssignmentChange(g, { kind: 'unassigned', assignment: removed }, piece, actor, await currentHeadings(g.collab, params.id));
	return json({ ok: true });
});
