// A piece's history: every review move (with the `review` version saved at it) and every version saved
// otherwise (named, before a restore), newest first. Read only: the versions' commands write piece_versions.
import { and, desc, eq, ne } from 'drizzle-orm';
import type { Database } from '../db/client';
import { pieceVersions, reviewEvents, users } from '../db/schema';
import type { HistoryEntry, MoveEntry, VersionEntry } from '../../domain/history';

const actorOf = (id: string | null, name: string | null) => (id && name !== null ? { id, name } : null);

/** The history of a piece, newest first (the caller has checked that the actor may view it). */
export async function pieceHistory(db: Database, pieceId: string): Promise<HistoryEntry[]> {
	const [moves, versions] = await Promise.all([
		db
			.select({
				id: reviewEvents.id,
				at: reviewEvents.createdAt,
				actorId: users.id,
				actorName: users.name,
				from: reviewEvents.fromState,
				to: reviewEvents.toState,
				comment: reviewEvents.comment,
				versionId: pieceVersions.id
			})
			.from(reviewEvents)
			.leftJoin(users, eq(users.id, reviewEvents.actorId))
			.leftJoin(pieceVersions, and(eq(pieceVersions.reviewEventId, reviewEvents.id), eq(pieceVersions.kind, 'review')))
			.where(eq(reviewEvents.pieceId, pieceId))
			.orderBy(desc(reviewEvents.createdAt), desc(reviewEvents.id)),
		db
			.select({
				id: pieceVersions.id,
				at: pieceVersions.createdAt,
				actorId: users.id,
				actorName: users.name,
				kind: pieceVersions.kind,
				label: pieceVersions.label,
				restoredFrom: pieceVersions.restoredFrom
			})
			.from(pieceVersions)
			.leftJoin(users, eq(users.id, pieceVersions.createdBy))
			.where(and(eq(pieceVersions.pieceId, pieceId), ne(pieceVersions.kind, 'review')))
			.orderBy(desc(pieceVersions.createdAt), desc(pieceVersions.id))
	]);
	// one version per move: should a move have several, the first row of it stands
	const seen = new Set<number>();
	const moveEntries: (MoveEntry & { time: number })[] = [];
	for (const m of moves) {
		if (seen.has(m.id)) continue;
		seen.add(m.id);
		moveEntries.push({ type: 'move', at: m.at.toISOString(), time: m.at.getTime(), actor: actorOf(m.actorId, m.actorName), from: m.from, to: m.to, comment: m.comment, versionId: m.versionId });
	}
	const versionEntries: (VersionEntry & { time: number })[] = versions.map((v) => ({
		type: 'version',
		at: v.at.toISOString(),
		time: v.at.getTime(),
		actor: actorOf(v.actorId, v.actorName),
		id: v.id,
		kind: v.kind,
		label: v.label,
		restoredFrom: v.restoredFrom
	}));
	// each list is newest first; the sort is stable, so at the same instant a version stands before a move
	return [...versionEntries, ...moveEntries].sort((a, b) => b.time - a.time).map(({ time: _time, ...entry }) => entry as HistoryEntry);
}
