// Read models of bulletin issues: the list (with what the next issue is offered) and the board.
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, bulletinIssues, contributors, pieceAuthors, pieces, sections, users } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { canGlobal, visiblePieces } from '../policies';
import { isLate } from '../../domain/due-dates';
import type { Board, BoardAssignment, BoardPiece } from '../../domain/board';
import { assignmentColumns } from './assignments';

const issueColumns = {
	id: bulletinIssues.id,
	publication: bulletinIssues.publication,
	tagline: bulletinIssues.tagline,
	volume: bulletinIssues.volume,
	number: bulletinIssues.number,
	date: bulletinIssues.publishOn,
	createdAt: bulletinIssues.createdAt
};

export async function getIssue(db: Database, issueId: string) {
	const [issue] = await db.select(issueColumns).from(bulletinIssues).where(eq(bulletinIssues.id, issueId));
	return issue ?? null;
}

/**
 * Every issue, newest first (highest volume, then number), and `next`: what the form for the next issue
 * is prefilled with: the publication and tagline of the issue created last, its volume and the following
 * number (null before the first issue).
 */
export async function listIssues(db: Database) {
	const issues = await db.select(issueColumns).from(bulletinIssues).orderBy(desc(bulletinIssues.volume), desc(bulletinIssues.number), desc(bulletinIssues.createdAt));
	const latest = issues.reduce<(typeof issues)[number] | null>((a, b) => (!a || b.createdAt > a.createdAt ? b : a), null);
	const next = latest ? { publication: latest.publication, tagline: latest.tagline, volume: latest.volume, number: latest.number + 1 } : null;
	return { issues, next };
}

/**
 * The board of an issue as `actor` sees it: the issue, its sections in order, each with the pieces the
 * actor may see in order, and the issue's pieces in no section. Null when there is no such issue.
 * `now` and `timeZone` decide what is late (domain/due-dates.ts).
 */
export async function getBoard(db: Database, actor: Actor, issueId: string, timeZone: string, now: Date = new Date()): Promise<Board | null> {
	const issue = await getIssue(db, issueId);
	if (!issue) return null;
	const [sectionRows, pieceRows] = await Promise.all([
		db.select({ id: sections.id, title: sections.title, position: sections.position }).from(sections).where(eq(sections.issueId, issueId)).orderBy(asc(sections.position), asc(sections.id)),
		db
			.select({
				id: pieces.id,
				kind: pieces.kind,
				title: pieces.title,
				reviewState: pieces.reviewState,
				wordCount: pieces.wordCount,
				headings: pieces.headings,
				sectionId: pieces.sectionId,
				position: pieces.position
			})
			.from(pieces)
			.where(and(eq(pieces.issueId, issueId), isNull(pieces.archivedAt), visiblePieces(actor)))
			.orderBy(asc(pieces.position), asc(pieces.id))
	]);
	const ids = pieceRows.map((p) => p.id);
	const [authorRows, assignmentRows] = ids.length
		? await Promise.all([
				db
					.select({ pieceId: pieceAuthors.pieceId, name: contributors.name })
					.from(pieceAuthors)
					.innerJoin(contributors, eq(contributors.id, pieceAuthors.contributorId))
					.where(inArray(pieceAuthors.pieceId, ids))
					.orderBy(asc(pieceAuthors.position)),
				db
					.select(assignmentColumns)
					.from(assignments)
					.innerJoin(users, eq(users.id, assignments.userId))
					.where(inArray(assignments.pieceId, ids))
					.orderBy(asc(assignments.createdAt), asc(assignments.id))
			])
		: [[], []];
	const boardPieces = pieceRows.map(({ headings, ...piece }): BoardPiece => {
		const headingIds = new Set((headings ?? []).map((h) => h.id));
		const mine: BoardAssignment[] = assignmentRows
			.filter((a) => a.pieceId === piece.id)
			.map(({ pieceId: _, ...a }) => ({ ...a, detached: a.sectionId !== null && !headingIds.has(a.sectionId) }));
		const dueOn = mine.reduce<string | null>((earliest, a) => (a.dueOn && (!earliest || a.dueOn < earliest) ? a.dueOn : earliest), null);
		return {
			...piece,
			authors: authorRows.filter((a) => a.pieceId === piece.id).map((a) => a.name),
			wordTarget: wordTargetOf(mine),
			assignments: mine,
			dueOn,
			late: isLate(dueOn, piece.reviewState, timeZone, now)
		};
	});
	return {
		issue,
		sections: sectionRows.map((s) => ({ ...s, pieces: boardPieces.filter((p) => p.sectionId === s.id) })),
		unplaced: boardPieces.filter((p) => p.sectionId === null || !sectionRows.some((s) => s.id === p.sectionId)),
		actions: { plan: canGlobal(actor, 'plan_issues') }
	};
}


/**
 * A piece's word target: the largest of its whole-piece assignments' targets; without one, the sum of
 * its section assignments' targets (each section its own share); null when no assignment sets one.
 */
export function wordTargetOf(list: { sectionId: string | null; wordTarget: number | null }[]): number | null {
	const whole = list.filter((a) => a.sectionId === null && a.wordTarget !== null).map((a) => a.wordTarget!);
	if (whole.length) return Math.max(...whole);
	const perSection = new Map<string, number>();
	for (const a of list) if (a.sectionId !== null && a.wordTarget !== null) perSection.set(a.sectionId, Math.max(perSection.get(a.sectionId) ?? 0, a.wordTarget));
	return perSection.size ? [...perSection.values()].reduce((a, b) => a + b, 0) : null;
}

/** Pieces in no issue that the editor may add to a board (newest first, at most `limit`). */
export async function piecesInNoIssue(db: Database, actor: Actor, limit = 500) {
	return db
		.select({ id: pieces.id, kind: pieces.kind, title: pieces.title })
		.from(pieces)
		.where(and(isNull(pieces.issueId), isNull(pieces.archivedAt), visiblePieces(actor)))
		.orderBy(desc(pieces.updatedAt))
		.limit(limit);
}
