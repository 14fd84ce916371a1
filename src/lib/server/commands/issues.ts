// Bulletin issues and their sections (the table of contents). Each change of an issue's board holds the
// issue's row for the length of its transaction, so two changes of one board never interleave, and the
// positions of its sections (and pieces, commands/placing.ts) stay dense: 0..n-1.
import { and, asc, eq, isNull, max } from 'drizzle-orm';
import { syncAfterTransaction, type Database } from '../db/client';
import { bulletinIssues, pieces, sections } from '../db/schema';
import { newId } from '../auth/tokens';

export interface IssueInput {
	publication: string;
	tagline?: string | null;
	volume: number;
	number: number;
	/** YYYY-MM-DD, stored in publish_on. */
	date?: string | null;
}

/** Create an issue with its sections in the given order. */
export async function createIssue(db: Database, input: IssueInput & { sections?: string[] }) {
	const id = newId();
	await db.transaction(async (txn) => {
		const tx = txn as unknown as Database;
		await tx.insert(bulletinIssues).values({
			id,
			publication: input.publication,
			tagline: input.tagline ?? null,
			volume: input.volume,
			number: input.number,
			publishOn: input.date ?? null
		});
		const titles = input.sections ?? [];
		if (titles.length) await tx.insert(sections).values(titles.map((title, position) => ({ id: newId(), issueId: id, title, position })));
	});
	await syncAfterTransaction(db);
	return id;
}

/** Change an issue's details; false when there is no such issue. */
export async function updateIssue(db: Database, issueId: string, patch: Partial<IssueInput>): Promise<boolean> {
	const set: Partial<typeof bulletinIssues.$inferInsert> = {};
	if (patch.publication !== undefined) set.publication = patch.publication;
	if (patch.tagline !== undefined) set.tagline = patch.tagline;
	if (patch.volume !== undefined) set.volume = patch.volume;
	if (patch.number !== undefined) set.number = patch.number;
	if (patch.date !== undefined) set.publishOn = patch.date;
	const rows = await db.update(bulletinIssues).set(set).where(eq(bulletinIssues.id, issueId)).returning({ id: bulletinIssues.id });
	return rows.length > 0;
}

/** Hold an issue's row until the transaction ends (false: no such issue). */
export async function lockIssue(tx: Database, issueId: string): Promise<boolean> {
	const [row] = await tx.select({ id: bulletinIssues.id }).from(bulletinIssues).where(eq(bulletinIssues.id, issueId)).for('update');
	return Boolean(row);
}

/** Append a section to an issue's table of contents; null when there is no such issue. */
export async function addSection(db: Database, issueId: string, title: string) {
	const section = await db.transaction(async (txn) => {
		const tx = txn as unknown as Database;
		if (!(await lockIssue(tx, issueId))) return null;
		const [{ last }] = await tx.select({ last: max(sections.position) }).from(sections).where(eq(sections.issueId, issueId));
		const row = { id: newId(), issueId, title, position: last === null ? 0 : last + 1 };
		await tx.insert(sections).values(row);
		return row;
	});
	await syncAfterTransaction(db);
	return section;
}

/** The issue a section belongs to, or null when there is no such section. */
export async function sectionIssue(db: Database, sectionId: string): Promise<string | null> {
	const [row] = await db.select({ issueId: sections.issueId }).from(sections).where(eq(sections.id, sectionId));
	return row?.issueId ?? null;
}

/** Move `id` to `position` (clamped) in a list of ids in order: the new order. */
export function moveInOrder(ids: string[], id: string, position: number): string[] {
	const rest = ids.filter((x) => x !== id);
	const at = Math.max(0, Math.min(position, rest.length));
	return [...rest.slice(0, at), id, ...rest.slice(at)];
}

/**
 * Rename a section or move it to another position (clamped to the end; the others shift so positions stay
 * 0..n-1). Null when there is no such section.
 */
export async function updateSection(db: Database, sectionId: string, patch: { title?: string; position?: number }) {
	const issueId = await sectionIssue(db, sectionId);
	if (!issueId) return null;
	const section = await db.transaction(async (txn) => {
		const tx = txn as unknown as Database;
		await lockIssue(tx, issueId);
		const all = await tx.select().from(sections).where(eq(sections.issueId, issueId)).orderBy(asc(sections.position), asc(sections.id));
		const current = all.find((s) => s.id === sectionId);
		if (!current) return null; // deleted meanwhile
		if (patch.title !== undefined) await tx.update(sections).set({ title: patch.title }).where(eq(sections.id, sectionId));
		const order = moveInOrder(
			all.map((s) => s.id),
			sectionId,
			patch.position ?? all.indexOf(current)
		);
		for (const [position, id] of order.entries()) {
			if (all.find((s) => s.id === id)!.position !== position) await tx.update(sections).set({ position }).where(eq(sections.id, id));
		}
		return { id: sectionId, issueId, title: patch.title ?? current.title, position: order.indexOf(sectionId) };
	});
	await syncAfterTransaction(db);
	return section;
}

/**
 * Delete a section. Its pieces stay in the issue, unplaced (no section), after the issue's other unplaced
 * pieces and in their order; the remaining sections close up. Returns the issue's id, or null when there is
 * no such section.
 */
export async function deleteSection(db: Database, sectionId: string): Promise<string | null> {
	const issueId = await sectionIssue(db, sectionId);
	if (!issueId) return null;
	const done = await db.transaction(async (txn) => {
		const tx = txn as unknown as Database;
		await lockIssue(tx, issueId);
		const orphans = await tx
			.select({ id: pieces.id })
			.from(pieces)
			.where(and(eq(pieces.sectionId, sectionId), isNull(pieces.archivedAt)))
			.orderBy(asc(pieces.position), asc(pieces.id));
		const unplaced = await tx
			.select({ id: pieces.id })
			.from(pieces)
			.where(and(eq(pieces.issueId, issueId), isNull(pieces.sectionId), isNull(pieces.archivedAt)))
			.orderBy(asc(pieces.position), asc(pieces.id));
		for (const [position, { id }] of [...unplaced, ...orphans].entries()) {
			await tx.update(pieces).set({ sectionId: null, position }).where(eq(pieces.id, id));
		}
		// archived pieces of the section leave it too (the foreign key would, but say it here)
		await tx.update(pieces).set({ sectionId: null }).where(eq(pieces.sectionId, sectionId));
		const gone = await tx.delete(sections).where(eq(sections.id, sectionId)).returning({ id: sections.id });
		if (!gone.length) return false;
		const left = await tx.select().from(sections).where(eq(sections.issueId, issueId)).orderBy(asc(sections.position), asc(sections.id));
		for (const [position, s] of left.entries()) if (s.position !== position) await tx.update(sections).set({ position }).where(eq(sections.id, s.id));
		return true;
	});
	await syncAfterTransaction(db);
	return done ? issueId : null;
}
