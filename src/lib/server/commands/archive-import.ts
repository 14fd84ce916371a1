// Bring an archived issue (read by server/archive) into Galley in one transaction, all or nothing: the
// issue, its sections, its pieces (each seeded with its Yjs state, as piece creation seeds it, and its
// projections), their authors, the contributors (matched by name, created when new with their bio) and the
// sources its citations name (matched by name, added to the library when new). And the dry run's plan:
// which contributors and sources are new.
import crypto from 'node:crypto';
import { inArray, sql } from 'drizzle-orm';
import type { JSONContent } from '@tiptap/core';
import { syncAfterTransaction, type Database } from '../db/client';
import { bulletinIssues, contributors, pieceAuthors, pieces, reviewEvents, sections, sources } from '../db/schema';
import { newId } from '../auth/tokens';
import { bioFromText, bioToText } from '../queries/contributors';
import { yjsStateFromJSON } from '../content/document';
import { projectContent } from '../../editor/projection';
import { writeProjections } from '../content/projections';
import { DocumentStore } from '../collab/persistence';
import type { ArchiveIssue, ArchivePiece } from '../archive/parse';
import { pieceCounts, type PieceCounts } from '../archive/summary';

/**
 * The review state of an imported piece: `published`. An archived issue is one that was printed, so its
 * pieces are final: locked against accidental edits, no DRAFT mark in print; the editor reopens one to edit it.
 */
export const IMPORTED_REVIEW_STATE = 'published' as const;

const key = (name: string) => name.replace(/\s+/g, ' ').trim().toLowerCase();

/** Every author of the issue once (in order of first byline), with the first bio the issue gives them. */
function authorsOf(issue: ArchiveIssue): { name: string; bio: string | null }[] {
	const found = new Map<string, { name: string; bio: string | null }>();
	for (const p of issue.pieces) {
		for (const name of p.authors) {
			const bio = p.bios.find((b) => b.name === name)?.text ?? null;
			const known = found.get(key(name));
			if (!known) found.set(key(name), { name, bio });
			else if (!known.bio && bio) known.bio = bio;
		}
	}
	return [...found.values()];
}

type Citation = { source: string; url: string | null };

/** Every source the issue's citations name once (in order), with the first link given for it. */
function sourcesOf(issue: ArchiveIssue): Citation[] {
	const found = new Map<string, Citation>();
	for (const c of issue.pieces.flatMap((p) => projectContent(p.content).citations.map((r) => ({ source: r.sourceName, url: r.url })))) {
		if (!c.source.trim()) continue;
		const known = found.get(key(c.source));
		if (!known) found.set(key(c.source), { ...c });
		else if (!known.url && c.url) known.url = c.url;
	}
	return [...found.values()];
}

async function existingContributors(db: Database, names: string[]) {
	if (!names.length) return new Map<string, { id: string; bio: string }>();
	const rows = await db
		.select({ id: contributors.id, name: contributors.name, bio: contributors.bio })
		.from(contributors)
		.where(inArray(sql`lower(${contributors.name})`, names.map(key)));
	return new Map(rows.map((r) => [key(r.name), { id: r.id, bio: bioToText(r.bio) }]));
}

async function existingSources(db: Database, names: string[]) {
	if (!names.length) return new Map<string, string>();
	const rows = await db
		.select({ id: sources.id, name: sources.name })
		.from(sources)
		.where(inArray(sql`lower(${sources.name})`, names.map(key)));
	return new Map(rows.map((r) => [key(r.name), r.id]));
}

export interface ArchivePreview {
	issue: { publication: string; tagline: string | null; volume: number; number: number };
	pieces: ({ kind: ArchivePiece['kind']; title: string; authors: string[] } & PieceCounts)[];
	contributors: { name: string; new: boolean }[];
	sources: { name: string; new: boolean }[];
	warnings: string[];
}

/** What an import would write (the dry run): nothing is written. */
export async function previewArchiveImport(db: Database, issue: ArchiveIssue): Promise<ArchivePreview> {
	const authors = authorsOf(issue);
	const cited = sourcesOf(issue);
	const [knownAuthors, knownSources] = await Promise.all([existingContributors(db, authors.map((a) => a.name)), existingSources(db, cited.map((s) => s.source))]);
	return {
		issue: issue.masthead,
		pieces: issue.pieces.map((p) => ({ kind: p.kind, title: p.title, authors: p.authors, ...pieceCounts(p.content) })),
		contributors: authors.map((a) => ({ name: a.name, new: !knownAuthors.has(key(a.name)) })),
		sources: cited.map((s) => ({ name: s.source, new: !knownSources.has(key(s.source)) })),
		warnings: issue.warnings
	};
}

/** The content as stored: citations linked to their library source, ids on Q&A blocks, endnotes and headings. */
function storedContent(node: JSONContent, sourceIds: Map<string, string>): JSONContent {
	const out: JSONContent = { ...node };
	if (node.marks) {
		out.marks = node.marks.map((m) => (m.type === 'citation' ? { ...m, attrs: { ...m.attrs, sourceId: sourceIds.get(key(String(m.attrs?.source ?? ''))) ?? null } } : m));
	}
	if ((node.type === 'qaBlock' || node.type === 'endnote' || node.type === 'heading') && !node.attrs?.id) out.attrs = { ...node.attrs, id: crypto.randomUUID() };
	if (node.content) out.content = node.content.map((c) => storedContent(c, sourceIds));
	return out;
}

/** Import the issue; returns the new issue's id and its pieces' ids. One transaction: on any failure nothing is written. */
export async function importArchive(db: Database, issue: ArchiveIssue, createdBy: string): Promise<{ issueId: string; pieceIds: string[] }> {
	const issueId = newId();
	const pieceIds: string[] = [];
	const authors = authorsOf(issue);
	const cited = sourcesOf(issue);
	await db.transaction(async (txn) => {
		const tx = txn as unknown as Database;
		// two imports naming the same new contributor or source take turns, so neither creates it twice
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('galley:archive-import'))`);
		const knownAuthors = await existingContributors(tx, authors.map((a) => a.name));
		const profiles = new Map(knownAuthors);
		const created = authors.filter((a) => !knownAuthors.has(key(a.name))).map((a) => ({ id: newId(), name: a.name, bio: a.bio ? bioFromText(a.bio) : null }));
		if (created.length) await tx.insert(contributors).values(created);
		for (const c of created) profiles.set(key(c.name), { id: c.id, bio: bioToText(c.bio) });

		const sourceIds = await existingSources(tx, cited.map((s) => s.source));
		const added = cited.filter((s) => !sourceIds.has(key(s.source))).map((s) => ({ id: newId(), name: s.source, url: s.url }));
		if (added.length) await tx.insert(sources).values(added);
		for (const s of added) sourceIds.set(key(s.name), s.id);

		const { publication, tagline, volume, number } = issue.masthead;
		await tx.insert(bulletinIssues).values({ id: issueId, publication, tagline, volume, number });
		// a section per run of pieces with the same section, in contents order
		const runs: { id: string; title: string; pieces: ArchivePiece[] }[] = [];
		for (const p of issue.pieces) {
			const last = runs[runs.length - 1];
			if (last && last.title === p.section) last.pieces.push(p);
			else runs.push({ id: newId(), title: p.section, pieces: [p] });
		}
		await tx.insert(sections).values(runs.map((r, position) => ({ id: r.id, issueId, title: r.title, position })));

		for (const run of runs) {
			for (const [position, piece] of run.pieces.entries()) {
				const pieceId = newId();
				pieceIds.push(pieceId);
				const content = storedContent(piece.content, sourceIds);
				await tx.insert(pieces).values({ id: pieceId, kind: piece.kind, title: piece.title, createdBy, issueId, sectionId: run.id, position, reviewState: IMPORTED_REVIEW_STATE });
				await new DocumentStore(tx).seed(pieceId, yjsStateFromJSON(content));
				if (piece.authors.length) {
					await tx.insert(pieceAuthors).values(
						piece.authors.map((name, k) => {
							const profile = profiles.get(key(name))!;
							const bio = piece.bios.find((b) => b.name === name)?.text ?? '';
							// the bio this piece printed, where it is not the profile's
							const override = bio && bio.replace(/\s+/g, ' ') !== profile.bio.replace(/\s+/g, ' ') ? bioFromText(bio) : null;
							return { pieceId, contributorId: profile.id, position: k, bioOverride: override };
						})
					);
				}
				await tx.insert(reviewEvents).values({ pieceId, fromState: 'draft', toState: IMPORTED_REVIEW_STATE, actorId: createdBy, comment: 'Imported from the archive' });
				await writeProjections(tx, pieceId, content);
			}
		}
	});
	await syncAfterTransaction(db);
	return { issueId, pieceIds };
}
