// What the assignment routes share: the piece's current headings (what a section assignment may name), and
// the effects of every change: the people concerned are notified, open connections of the piece are
// re-checked (4001: reconnect with the new rights), boards and pieces lists hear of it.
import type { Galley } from '../runtime';
import type { Actor } from '../auth/sessions';
import { jsonFromYjsState } from '../content/document';
import { headingsOf } from '../content/headings';
import { describeTerms, type Assignment, type PieceHeading } from '../../domain/assignments';
import type { NewNotification } from '../notifications';
import { ApiFailure, apiError } from './http';

/**
 * The headings of the piece's current text (the live document when it is open): `pieces.headings` is
 * rebuilt only after the text is stored, a second or so behind.
 */
export async function currentHeadings(collab: Galley['collab'], pieceId: string): Promise<PieceHeading[]> {
	return headingsOf(jsonFromYjsState(await collab.readState(pieceId), pieceId));
}

/** 422 unless `sectionId` is the id of one of the piece's headings now. */
export function requireHeading(headings: PieceHeading[], sectionId: string): PieceHeading {
	const heading = headings.find((h) => h.id === sectionId);
	if (!heading) throw new ApiFailure(apiError(422, `sectionId: the piece has no heading with the id “${sectionId}”`, 'sectionId'));
	return heading;
}

export type AssignmentChange =
	| { kind: 'assigned'; assignment: Assignment }
	| { kind: 'changed'; before: Assignment; after: Assignment }
	| { kind: 'unassigned'; assignment: Assignment };

/** The notification a change sends its assignee, or null (a changed word target alone notifies nobody). */
export function assignmentNotification(
	change: AssignmentChange,
	piece: { id: string; title: string; issueId: string | null },
	actor: Pick<Actor, 'id' | 'name'>,
	headings: PieceHeading[]
): NewNotification | null {
	const titleOf = (sectionId: string | null) => (sectionId ? (headings.find((h) => h.id === sectionId)?.title ?? null) : null);
	const terms = (a: Assignment) => describeTerms({ ...a, sectionTitle: titleOf(a.sectionId) });
	const base = { pieceId: piece.id, issueId: piece.issueId, actorId: actor.id };
	switch (change.kind) {
		case 'assigned':
			return { ...base, userId: change.assignment.userId, type: 'assigned', text: `${actor.name} assigned you “${piece.title}” ${terms(change.assignment)}` };
		case 'changed': {
			const { before, after } = change;
			if (before.role === after.role && before.sectionId === after.sectionId && before.dueOn === after.dueOn) return null;
			return { ...base, userId: after.userId, type: 'assigned', text: `${actor.name} changed your assignment on “${piece.title}”: now ${terms(after)}` };
		}
		case 'unassigned': {
			const { assignment } = change;
			const section = titleOf(assignment.sectionId);
			const what = assignment.sectionId ? `the section ${section ? `“${section}” ` : ''}of “${piece.title}”` : `“${piece.title}”`;
			return { ...base, userId: assignment.userId, type: 'unassigned', text: `${actor.name} removed you from ${what}` };
		}
	}
}

/**
 * After a change is stored: notify the assignee, close the piece's open connections whose rights changed
 * (4001, or 4003 when none are left), and nudge the issue's board and the pieces lists.
 */
export async function announceAssignmentChange(
	g: Pick<Galley, 'collab' | 'feed' | 'notifier'>,
	change: AssignmentChange,
	piece: { id: string; title: string; issueId: string | null },
	actor: Pick<Actor, 'id' | 'name'>,
	headings: PieceHeading[]
): Promise<void> {
	const notification = assignmentNotification(change, piece, actor, headings);
	if (notification) await g.notifier.send([notification]);
	await g.collab.rightsChanged(piece.id);
	if (piece.issueId) g.feed.publish(`issue:${piece.issueId}`, { type: 'board', issueId: piece.issueId });
	g.feed.publish('pieces', { type: 'piece', pieceId: piece.id, issueId: piece.issueId });
}
