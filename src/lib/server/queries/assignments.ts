import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client';
import { assignments, bulletinIssues, pieces, users } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { visiblePieces } from '../policies';
import { isWaitingFor, type Assignment, type AssignmentRole, type PieceHeading } from '../../domain/assignments';
import { isDueSoon, isLate } from '../../domain/due-dates';
import { isLocked, type PieceKind, type ReviewState } from '../../domain/pieces';

/** An assignment's columns, with the assignee's name (`users` joined on it). */
export const assignmentColumns = {
	id: assignments.id,
	pieceId: assignments.pieceId,
	userId: assignments.userId,
	name: users.name,
	role: assignments.role,
	sectionId: assignments.sectionId,
	dueOn: assignments.dueOn,
	wordTarget: assignments.wordTarget,
	assignedBy: assignments.assignedBy,
	createdAt: assignments.createdAt
};

type AssignmentRow = { createdAt: Date | string } & Omit<Assignment, 'createdAt'>;

function shaped(row: AssignmentRow): Assignment {
	return { ...row, createdAt: row.createdAt instanceof Date ? row.createdAt.toISOString() : String(row.createdAt) };
}

/** Everyone assigned to the piece (or a section of it), in the order they were assigned. */
export async function listPieceAssignments(db: Database, pieceId: string): Promise<Assignment[]> {
	const rows = await db
		.select(assignmentColumns)
		.from(assignments)
		.innerJoin(users, eq(users.id, assignments.userId))
		.where(eq(assignments.pieceId, pieceId))
		.orderBy(asc(assignments.createdAt), asc(assignments.id));
	return rows.map(shaped);
}

/** One assignment of the piece, or null (another piece's assignment is not found either). */
export async function findAssignment(db: Database, pieceId: string, assignmentId: string): Promise<Assignment | null> {
	const [row] = await db
		.select(assignmentColumns)
		.from(assignments)
		.innerJoin(users, eq(users.id, assignments.userId))
		.where(and(eq(assignments.id, assignmentId), eq(assignments.pieceId, pieceId)))
		.limit(1);
	return row ? shaped(row) : null;
}

/** The person's assignment for this scope of the piece (the whole piece when `sectionId` is null), if any. */
export async function assignmentForScope(db: Database, pieceId: string, userId: string, sectionId: string | null): Promise<Assignment | null> {
	const [row] = await db
		.select(assignmentColumns)
		.from(assignments)
		.innerJoin(users, eq(users.id, assignments.userId))
		.where(and(eq(assignments.pieceId, pieceId), eq(assignments.userId, userId), sectionId === null ? isNull(assignments.sectionId) : eq(assignments.sectionId, sectionId)))
		.limit(1);
	return row ? shaped(row) : null;
}

/** An entry of "My assignments" (GET /api/me/assignments). */
export interface MyAssignment {
	id: string;
	role: AssignmentRole;
	sectionId: string | null;
	/** The section's heading as last stored (null for the whole piece, or when not known yet). */
	sectionTitle: string | null;
	/** The section's heading is no longer in the piece (deleted): the assignment names nothing. */
	detached: boolean;
	dueOn: string | null;
	wordTarget: number | null;
	/** Past its due day (in the publication's time zone) and not yet approved. */
	late: boolean;
	/** Due within 24 hours, not late, not yet approved. */
	dueSoon: boolean;
	/** The piece waits for this person after a review move (changes requested: authors; in review: reviewers). */
	waiting: boolean;
	createdAt: string;
	piece: {
		id: string;
		title: string;
		kind: PieceKind;
		reviewState: ReviewState;
		wordCount: number;
		issue: { id: string; publication: string; volume: number; number: number } | null;
	};
}

export interface MyAssignmentSource {
	id: string;
	role: AssignmentRole;
	sectionId: string | null;
	dueOn: string | null;
	wordTarget: number | null;
	createdAt: Date | string;
	pieceId: string;
	title: string;
	kind: PieceKind;
	reviewState: ReviewState;
	wordCount: number;
	headings: PieceHeading[] | null;
	issueId: string | null;
	publication: string | null;
	volume: number | null;
	number: number | null;
}

/** One row of the query as "My assignments" shows it, at `now` in `timeZone` (pure: tested beside). */
export function myAssignmentOf(row: MyAssignmentSource, timeZone: string, now: Date): MyAssignment {
	const heading = row.sectionId ? (row.headings ?? []).find((h) => h.id === row.sectionId) : undefined;
	const late = isLate(row.dueOn, row.reviewState, timeZone, now);
	return {
		id: row.id,
		role: row.role,
		sectionId: row.sectionId,
		sectionTitle: heading?.title ?? null,
		detached: row.sectionId !== null && !heading,
		dueOn: row.dueOn,
		wordTarget: row.wordTarget,
		late,
		dueSoon: !late && !isLocked(row.reviewState) && isDueSoon(row.dueOn, timeZone, now),
		waiting: isWaitingFor(row.role, row.reviewState),
		createdAt: row.createdAt instanceof Date ? row.createdAt.toISOString() : String(row.createdAt),
		piece: {
			id: row.pieceId,
			title: row.title,
			kind: row.kind,
			reviewState: row.reviewState,
			wordCount: row.wordCount,
			issue: row.issueId && row.volume !== null && row.number !== null ? { id: row.issueId, publication: row.publication ?? '', volume: row.volume, number: row.number } : null
		}
	};
}

/** The order of "My assignments": what waits for the person first, then the late ones, then by due day (none last). */
export function compareMyAssignments(a: MyAssignment, b: MyAssignment): number {
	if (a.waiting !== b.waiting) return a.waiting ? -1 : 1;
	if (a.late !== b.late) return a.late ? -1 : 1;
	if (a.dueOn !== b.dueOn) return a.dueOn === null ? 1 : b.dueOn === null ? -1 : a.dueOn < b.dueOn ? -1 : 1;
	return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
}

/** The actor's own assignments on pieces that are not archived, in the order "My assignments" shows them. */
export async function myAssignments(db: Database, actor: Actor, timeZone: string, now: Date = new Date()): Promise<MyAssignment[]> {
	const rows = await db
		.select({
			id: assignments.id,
			role: assignments.role,
			sectionId: assignments.sectionId,
			dueOn: assignments.dueOn,
			wordTarget: assignments.wordTarget,
			createdAt: assignments.createdAt,
			pieceId: pieces.id,
			title: pieces.title,
			kind: pieces.kind,
			reviewState: pieces.reviewState,
			wordCount: pieces.wordCount,
			headings: pieces.headings,
			issueId: pieces.issueId,
			publication: bulletinIssues.publication,
			volume: bulletinIssues.volume,
			number: bulletinIssues.number
		})
		.from(assignments)
		.innerJoin(pieces, eq(pieces.id, assignments.pieceId))
		.leftJoin(bulletinIssues, eq(bulletinIssues.id, pieces.issueId))
		.where(and(eq(assignments.userId, actor.id), isNull(pieces.archivedAt), visiblePieces(actor)));
	return rows.map((r) => myAssignmentOf(r, timeZone, now)).sort(compareMyAssignments);
}
