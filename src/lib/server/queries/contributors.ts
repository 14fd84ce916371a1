import { asc, eq, inArray } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import type { Database } from '../db/client';
import { contributors, pieceAuthors } from '../db/schema';

export const contributorColumns = { id: contributors.id, userId: contributors.userId, name: contributors.name, affiliation: contributors.affiliation, bio: contributors.bio };

/** Bio text (plain, one paragraph per blank-line-separated block) to rich text, and back. */
export function bioFromText(text: string): JSONContent | null {
	const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
	if (paragraphs.length === 0) return null;
	return { type: 'doc', content: paragraphs.map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p.replace(/\s*\n\s*/g, ' ') }] })) };
}

export function bioToText(bio: unknown): string {
	const doc = bio as JSONContent | null;
	if (!doc?.content) return '';
	return doc.content.map((p) => (p.content ?? []).map((t) => t.text ?? '').join('')).join('\n\n');
}

export async function listContributors(db: Database) {
	return db.select(contributorColumns).from(contributors).orderBy(asc(contributors.name));
}

/** A piece's authors in order, each with the bio that ends the piece (this piece's override, else the profile's). */
export async function pieceAuthorsOf(db: Database, pieceId: string) {
	const rows = await db
		.select({ ...contributorColumns, position: pieceAuthors.position, bioOverride: pieceAuthors.bioOverride })
		.from(pieceAuthors)
		.innerJoin(contributors, eq(contributors.id, pieceAuthors.contributorId))
		.where(eq(pieceAuthors.pieceId, pieceId))
		.orderBy(asc(pieceAuthors.position));
	return rows.map((r) => ({
		contributorId: r.id,
		name: r.name,
		affiliation: r.affiliation,
		profileBio: bioToText(r.bio),
		bioOverride: r.bioOverride ? bioToText(r.bioOverride) : null,
		bio: bioToText(r.bioOverride ?? r.bio)
	}));
}

/** Of these contributor ids, those with no contributor. */
export async function missingContributors(db: Database, ids: string[]): Promise<string[]> {
	if (ids.length === 0) return [];
	const found = await db.select({ id: contributors.id }).from(contributors).where(inArray(contributors.id, ids));
	return ids.filter((id) => !found.some((f) => f.id === id));
}

/** The pieces this contributor is an author of. */
export async function piecesAuthoredBy(db: Database, contributorId: string): Promise<string[]> {
	const rows = await db.select({ pieceId: pieceAuthors.pieceId }).from(pieceAuthors).where(eq(pieceAuthors.contributorId, contributorId));
	return rows.map((r) => r.pieceId);
}

/** One contributor's profile row, or null. */
export async function getContributor(db: Database, id: string) {
	const [row] = await db.select(contributorColumns).from(contributors).where(eq(contributors.id, id)).limit(1);
	return row ?? null;
}
