// The SQL visibility filter of the policy module (visiblePieces) against a real database (PGlite, and
// Postgres when TEST_DATABASE_URL is set): for every actor and piece it selects exactly the pieces
// `canPiece(actor, 'view', …)` allows, and the list queries built on it (pieces, citations, Q&A turns)
// return exactly those pieces' rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDatabaseKind, type GalleyTestDatabase } from '../support/galley-server';
import { freshTestDatabase } from '../support/test-database';
import { openDatabase, type DatabaseHandle } from '../../src/lib/server/db/client';
import { assignments, citations, pieces, qaBlocks, users } from '../../src/lib/server/db/schema';
import { canPiece, visiblePieces } from '../../src/lib/server/policies';
import { listPiecesFor, loadPieceSubject } from '../../src/lib/server/queries/pieces';
import { listCitations, listQaBlocks } from '../../src/lib/server/queries/projections';
import type { Actor } from '../../src/lib/server/auth/sessions';
import { REVIEW_STATES } from '../../src/lib/domain/pieces';

const ROLES = ['author', 'reviewer', 'viewer'] as const;

function actor(id: string, role: 'editor' | 'contributor'): Actor {
	return { id, email: `${id}@example.org`, name: id, role, color: '#123456', via: 'token' };
}

describe.each(oneDatabaseKind())('the visibility filter on %s', (kind) => {
	let database: GalleyTestDatabase;
	let handle: DatabaseHandle;
	const actors = [actor('eda', 'editor'), actor('ann', 'contributor'), actor('ben', 'contributor'), actor('cal', 'contributor'), actor('dot', 'contributor')];
	const pieceIds: string[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		await handle.migrate('migrations');
		const db = handle.db;
		await db.insert(users).values(actors.map((a) => ({ id: a.id, email: a.email, name: a.name, passwordHash: 'x', role: a.role, color: a.color })));
		// Pieces created by each of eda, ann and ben in every review state; cal and dot create none.
		let n = 0;
		for (const creator of ['eda', 'ann', 'ben']) {
			for (const reviewState of REVIEW_STATES) {
				const id = `p${n++}`;
				pieceIds.push(id);
				await db.insert(pieces).values({ id, kind: 'interview', title: `${creator} ${reviewState}`, createdBy: creator, reviewState });
				await db.insert(citations).values({ pieceId: id, position: 0, sourceName: 'Varesh Daily', url: 'https://www.vareshdaily.example', dateText: 'March 12' });
				await db.insert(qaBlocks).values({ pieceId: id, position: 0, blockId: `b${id}`, kind: 'answer', speaker: 'AV', speakerName: 'Anneli Varga', text: 'Because.' });
			}
		}
		// Assignments in every role, some on one's own piece, some two roles at once; dot has none.
		let a = 0;
		const assign = (pieceId: string, userId: string, role: (typeof ROLES)[number]) =>
			db.insert(assignments).values({ id: `a${a++}`, pieceId, userId, role, assignedBy: 'eda' });
		for (let i = 0; i < pieceIds.length; i++) {
			if (i % 3 === 0) await assign(pieceIds[i], 'cal', ROLES[i % ROLES.length]);
			if (i % 4 === 1) await assign(pieceIds[i], 'ann', ROLES[(i + 1) % ROLES.length]);
			if (i % 5 === 2) await assign(pieceIds[i], 'ben', ROLES[(i + 2) % ROLES.length]);
		}
		await assign(pieceIds[7], 'cal', 'viewer');
		await assign(pieceIds[7], 'cal', 'author');
	}, 120_000);

	afterAll(async () => {
		await handle?.close();
		await database?.drop();
	});

	/** The pieces canPiece lets the actor view, one piece at a time (the reference). */
	async function viewableOneByOne(who: Actor): Promise<string[]> {
		const ids: string[] = [];
		for (const id of pieceIds) {
			const subject = await loadPieceSubject(handle.db, id, who.id);
			if (subject && canPiece(who, 'view', subject)) ids.push(id);
		}
		return ids.sort();
	}

	it('selects exactly the pieces canPiece(view) allows, for the editor, creators, assignees and the uninvolved', async () => {
		const seen = new Map<string, number>();
		for (const who of actors) {
			const expected = await viewableOneByOne(who);
			const rows = await handle.db.select({ id: pieces.id }).from(pieces).where(visiblePieces(who));
			expect(rows.map((r) => r.id).sort(), who.id).toEqual(expected);
			seen.set(who.id, expected.length);
		}
		// the set is not trivial: everything, some, none
		expect(seen.get('eda')).toBe(pieceIds.length);
		expect(seen.get('cal')).toBeGreaterThan(0);
		expect(seen.get('cal')).toBeLessThan(pieceIds.length);
		expect(seen.get('dot')).toBe(0);
	});

	it('lists pieces, citations and Q&A turns of exactly those pieces, narrowed by piece and issue', async () => {
		for (const who of actors) {
			const expected = await viewableOneByOne(who);
			const listed = await listPiecesFor(handle.db, who);
			expect(listed.map((p) => p.id).sort(), who.id).toEqual(expected);
			expect(listed.every((p) => p.actions.view)).toBe(true);
			const cited = await listCitations(handle.db, who, {}, { source: 'varesh daily' });
			expect(cited.map((c) => c.pieceId).sort(), who.id).toEqual(expected);
			const turns = await listQaBlocks(handle.db, who, {}, { speaker: 'AV' });
			expect(turns.map((t) => t.pieceId).sort(), who.id).toEqual(expected);
			// one piece: its rows when visible, none otherwise
			for (const id of [pieceIds[0], pieceIds[7]]) {
				const one = await listCitations(handle.db, who, { pieceId: id }, {});
				expect(one.map((c) => c.pieceId), `${who.id} ${id}`).toEqual(expected.includes(id) ? [id] : []);
			}
			expect(await listQaBlocks(handle.db, who, { issueId: 'no-such-issue' }, {})).toEqual([]);
		}
	});
});
