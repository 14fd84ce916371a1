import { and, asc, count, desc, eq, inArray, isNull, lt, notInArray, sql, type SQL } from 'drizzle-orm';
import { QueryBuilder, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../db/client';
import { assignments, bulletinIssues, pieces, sections, users } from '../db/schema';
import type { Actor } from '../auth/sessions';
import { listedPieces, pieceActions, type PieceSubject } from '../policies';
import { todayIn } from '../../domain/due-dates';
import { REVIEW_STATES } from '../../domain/pieces';
import type { PieceListQuery } from '../api/contract';
import { pieceColumns } from './pieces';

/**
 * The pieces list (GET /api/pieces, the pieces page): what the caller may see (policies listedPieces:
 * visible, and archived or not), searched, filtered, sorted and paged, with the total.
 */

/**
 * A search box's words as a tsquery: every word, each also as a prefix ("flood" finds "flooding", "floo"
 * too), all required. Only letters and digits reach to_tsquery, so nothing typed can be a syntax error.
 * Null when nothing searchable was typed.
 */
export function searchQuery(q: string): string | null {
	const words = q.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 20);
	return words?.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

/** The earliest due date of each piece's assignments, for sorting every piece by it: one pass over the assignments. */
function dueDates(db: Database) {
	return db
		.select({ pieceId: assignments.pieceId, dueOn: sql<string | null>`min(${assignments.dueOn})`.as('due_on') })
		.from(assignments)
		.groupBy(assignments.pieceId)
		.as('due_dates');
}

/** Pieces with an assignment that meets `where` (read once, not probed per piece: see policies visiblePieces). */
const assigned = (where: SQL) => inArray(pieces.id, new QueryBuilder().select({ pieceId: assignments.pieceId }).from(assignments).where(where));

const STATE_ORDER = sql.join([sql`case ${pieces.reviewState}`, ...REVIEW_STATES.map((s, i) => sql`when ${s} then ${i}`), sql`end`], sql` `);

const SORTS: Record<NonNullable<PieceListQuery['sort']>, { by: SQL | AnyPgColumn; order: 'asc' | 'desc' }> = {
	title: { by: sql`lower(${pieces.title})`, order: 'asc' },
	kind: { by: pieces.kind, order: 'asc' },
	state: { by: STATE_ORDER, order: 'asc' },
	updated: { by: pieces.updatedAt, order: 'desc' },
	created: { by: pieces.createdAt, order: 'desc' },
	words: { by: pieces.wordCount, order: 'desc' },
	due: { by: pieces.id, order: 'asc' } // sorted by the joined due_dates instead (see listPieces)
};

/** The conditions of a query: who may see what, then each filter given. */
function conditions(actor: Actor, query: Partial<PieceListQuery>, timeZone: string, now: Date): SQL {
	const where: (SQL | undefined)[] = [listedPieces(actor, query.archived ?? false)];
	if (query.q) {
		const tsquery = searchQuery(query.q);
		where.push(tsquery ? sql`${pieces.searchVector} @@ to_tsquery('english'::regconfig, ${tsquery})` : undefined);
	}
	if (query.issue) where.push(query.issue === 'none' ? isNull(pieces.issueId) : eq(pieces.issueId, query.issue));
	if (query.section) where.push(eq(pieces.sectionId, query.section));
	if (query.kind) where.push(eq(pieces.kind, query.kind));
	if (query.state) where.push(eq(pieces.reviewState, query.state));
	if (query.assignee) where.push(assigned(eq(assignments.userId, query.assignee)));
	if (query.overdue) {
		where.push(notInArray(pieces.reviewState, ['approved', 'published']));
		where.push(assigned(lt(assignments.dueOn, todayIn(timeZone, now))));
	}
	return and(...where)!;
}

/**
 * How many pieces meet `where`. With a search, counted off the search index: the planner prefers reading
 * every piece when a word is in most of them (it does not know that testing a piece's words means
 * unpacking its compressed search_vector, where the index's answer for our prefix queries is exact and
 * needs no recheck), and that read is 3–4 times slower on PGlite (bench/pieces/explain.ts: "reservoir",
 * in 87% of 10,000 pieces, 38 ms against 11 ms). So sequential scans are off for this statement alone.
 */
async function countPieces(db: Database, where: SQL, searching: boolean): Promise<number> {
	const counted = (d: Database) => d.select({ total: count() }).from(pieces).where(where);
	if (!searching) return (await counted(db))[0].total;
	return db.transaction(async (tx) => {
		await tx.execute(sql`set local enable_seqscan = off`);
		return (await counted(tx as unknown as Database))[0].total;
	});
}

export type ListedPiece = Awaited<ReturnType<typeof listPieces>>['pieces'][number];

export async function listPieces(db: Database, actor: Actor, query: Partial<PieceListQuery>, timeZone: string, now = new Date()) {
	const where = conditions(actor, query, timeZone, now);
	const sort = SORTS[query.sort ?? 'updated'];
	const direction = (query.order ?? sort.order) === 'asc' ? asc : desc;
	const limit = query.limit ?? 50;
	const offset = query.offset ?? 0;
	const byDue = query.sort === 'due';
	const dues = dueDates(db);
	const page = db
		.select({
			...pieceColumns,
			issueNumber: bulletinIssues.number,
			sectionTitle: sections.title,
			// the page's own due dates are read after it (below): a subquery here would run for every row an offset skips
			dueOn: (byDue ? dues.dueOn : sql`null`) as SQL<string | null>
		})
		.from(pieces)
		.innerJoin(users, eq(users.id, pieces.createdBy))
		.leftJoin(bulletinIssues, eq(bulletinIssues.id, pieces.issueId))
		.leftJoin(sections, eq(sections.id, pieces.sectionId))
		.$dynamic();
	const [rows, total] = await Promise.all([
		(byDue ? page.leftJoin(dues, eq(dues.pieceId, pieces.id)) : page)
			.where(where)
			// nulls (no due date) last whichever the direction; the id keeps pages apart when values tie
			.orderBy(...(byDue ? [sql`${dues.dueOn} is null`, direction(dues.dueOn)] : [direction(sort.by)]), direction(pieces.id))
			.limit(limit)
			.offset(offset),
		countPieces(db, where, query.q ? searchQuery(query.q) !== null : false)
	]);
	const mine = rows.length
		? await db
				.select({ pieceId: assignments.pieceId, role: assignments.role })
				.from(assignments)
				.where(and(eq(assignments.userId, actor.id), inArray(assignments.pieceId, rows.map((r) => r.id))))
		: [];
	if (!byDue && rows.length) {
		const due = await db
			.select({ pieceId: assignments.pieceId, dueOn: sql<string | null>`min(${assignments.dueOn})` })
			.from(assignments)
			.where(inArray(assignments.pieceId, rows.map((r) => r.id)))
			.groupBy(assignments.pieceId);
		const byPiece = new Map(due.map((d) => [d.pieceId, d.dueOn]));
		for (const row of rows) row.dueOn = byPiece.get(row.id) ?? null;
	}
	const listed = rows.map(({ issueNumber, sectionTitle, ...row }) => {
		const subject: PieceSubject = {
			id: row.id,
			createdBy: row.createdBy,
			reviewState: row.reviewState,
			archived: row.archivedAt !== null,
			assignmentRoles: mine.filter((a) => a.pieceId === row.id).map((a) => a.role)
		};
		return {
			...row,
			issue: row.issueId !== null && issueNumber !== null ? { id: row.issueId, number: issueNumber } : null,
			section: row.sectionId !== null && sectionTitle !== null ? { id: row.sectionId, title: sectionTitle } : null,
			actions: pieceActions(actor, subject)
		};
	});
	return { pieces: listed, total: Number(total), limit, offset };
}
