// Read models of bulletin issues: the list (with what the next issue is offered) and the board.
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, bulletinIssues, contributors, pieceAuthors, pieces, sections, users } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { canGlobal, visiblePieces } from '../policies';
import { isLateOn, todayIn } from '../../domain/due-dates';
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
	// the board's pieces, and their authors and assignments read alongside by the same conditions (not by a
	// list of hundreds of ids, which costs the database more to plan than to run)
	const onBoard = and(eq(pieces.issueId, issueId), isNull(pieces.archivedAt), visiblePieces(actor));
	const [sectionRows, pieceRows, authorRows, assignmentRows] = await Promise.all([
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
			.where(onBoard)
			.orderBy(asc(pieces.position), asc(pieces.id)),
		db
			.select({ pieceId: pieceAuthors.pieceId, name: contributors.name })
			.from(pieceAuthors)
			.innerJoin(pieces, eq(pieces.id, pieceAuthors.pieceId))
			.innerJoin(contributors, eq(contributors.id, pieceAuthors.contributorId))
			.where(onBoard)
			.orderBy(asc(pieceAuthors.position)),
		db
			.select(assignmentColumns)
			.from(assignments)
			.innerJoin(pieces, eq(pieces.id, assignments.pieceId))
			.innerJoin(users, eq(users.id, assignments.userId))
			.where(onBoard)
			.orderBy(asc(assignments.createdAt), asc(assignments.id))
	]);
	// grouped by piece once (a board has hundreds of pieces), and today's date in the zone computed once
	const authorsOf = groupBy(authorRows, (a) => a.pieceId);
	const assignmentsOf = groupBy(assignmentRows, (a) => a.pieceId);
	const today = todayIn(timeZone, now);
	const boardPieces = pieceRows.map(({ headings, ...piece }): BoardPiece => {
		const headingIds = new Set((headings ?? []).map((h) => h.id));
		const mine: BoardAssignment[] = (assignmentsOf.get(piece.id) ?? []).map(({ pieceId: _, ...a }) => ({ ...a, detached: a.sectionId !== null && !headingIds.has(a.sectionId) }));
		const dueOn = mine.reduce<string | null>((earliest, a) => (a.dueOn && (!earliest || a.dueOn < earliest) ? a.dueOn : earliest), null);
		return {
			...piece,
			authors: (authorsOf.get(piece.id) ?? []).map((a) => a.name),
			wordTarget: wordTargetOf(mine),
			assignments: mine,
			dueOn,
			late: isLateOn(dueOn, piece.reviewState, today)
		};
	});
	const inSection = groupBy(boardPieces, (p) => p.sectionId);
	const sectionIds = new Set(sectionRows.map((s) => s.id));
	return {
		issue,
		sections: sectionRows.map((s) => ({ ...s, pieces: inSection.get(s.id) ?? [] })),
		unplaced: boardPieces.filter((p) => p.sectionId === null || !sectionIds.has(p.sectionId)),
		actions: { plan: canGlobal(actor, 'plan_issues') }
	};
}


/** The items of `list` by `key`, each group in the list's order. */
function groupBy<T, K>(list: readonly T[], key: (item: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const item of list) {
		const k = key(item);
		const group = groups.get(k);
		if (group) group.push(item);
		else groups.set(k, [item]);
	}
	return groups;
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
