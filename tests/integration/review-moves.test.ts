// Review moves against a real Galley (Bearer tokens, no Origin header), completing what the policy table
// (policy-table.test.ts: each role submits and withdraws) proves: every role × every move from every state
// (200 / 403 / 404 / 409 with the allowed moves), a request for changes without a reason (422, nothing
// changed), whom each move notifies and with which words, the piece's `history` event, and the history
// route (moves newest first; versions read from piece_versions, which the versions' commands write).
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import type { TestClient } from '../support/api-client';
import { castAPiece } from '../support/cast';
import { editorSchema } from '../../src/lib/editor/extensions';
import { openDatabase } from '../../src/lib/server/db/client';
import { pieceVersions, reviewEvents } from '../../src/lib/server/db/schema';
import { pieceHistory } from '../../src/lib/server/queries/history';
import type { ReviewState } from '../../src/lib/domain/pieces';

const START_TIMEOUT = 120_000;
const TABLE_TIMEOUT = 120_000;
const headingIds = editorSchema.nodes.heading.spec.attrs?.id !== undefined;

type Role = 'editor' | 'owner' | 'author' | 'section author' | 'reviewer' | 'viewer' | 'unassigned';
const ROLES: Role[] = ['editor', 'owner', 'author', 'section author', 'reviewer', 'viewer', 'unassigned'];
const rolesHere = ROLES.filter((r) => r !== 'section author' || headingIds);
const STATES: ReviewState[] = ['draft', 'in_review', 'changes_requested', 'approved', 'published'];

/**
 * Written out by hand (not computed with the policies under test): what the editor and what the piece's
 * authors (its creator, a whole-piece author) get for a move from each state (rows) to each state (columns:
 * draft, in review, changes requested, approved, published). Requesting changes is sent with a reason here.
 * 403: their role never makes that move; 409: a move of theirs, not from this state.
 */
const EDITOR: Record<ReviewState, number[]> = {
	draft: [409, 200, 409, 409, 409],
	in_review: [200, 409, 200, 200, 409],
	changes_requested: [409, 200, 409, 409, 409],
	approved: [200, 409, 409, 409, 200],
	published: [200, 409, 409, 409, 409]
};
const AUTHOR: Record<ReviewState, number[]> = {
	draft: [409, 200, 403, 403, 403],
	in_review: [200, 409, 403, 403, 403],
	changes_requested: [409, 200, 403, 403, 403],
	approved: [403, 409, 403, 403, 403],
	published: [403, 409, 403, 403, 403]
};

function expected(role: Role, from: ReviewState, to: ReviewState): number {
	if (role === 'unassigned') return 404;
	if (role === 'reviewer' || role === 'viewer' || role === 'section author') return 403; // no right to move it at all
	return (role === 'editor' ? EDITOR : AUTHOR)[from][STATES.indexOf(to)];
}

const run = Math.random().toString(36).slice(2, 8);
const REASON = 'Cut the second paragraph: the gauge readings at Kessel repeat the lead.';

interface Note {
	id: string;
	type: string;
	pieceId?: string;
	text: string;
}

describe.each(oneDatabaseKind())('review moves and history on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	const clients = {} as Record<Role | 'second editor', TestClient>;
	const userIds = {} as Record<Role | 'second editor', string>;
	const names = {} as Record<Role | 'second editor', string>;
	let pieceId: string;
	const title = `Basin Watch: the Vell reservoir at low water ${run}`;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const cast = await castAPiece(galley, { run, tokenName: 'review moves', kind: 'brief', title, section: { id: 'h-gauges', text: 'The gauges' }, extra: { 'second editor': 'editor' } });
		Object.assign(clients, cast.clients);
		Object.assign(userIds, cast.userIds);
		Object.assign(names, cast.names);
		pieceId = cast.pieceId;
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	const stateNow = async () => (await clients.editor.get(`/api/pieces/${pieceId}`)).json.piece.reviewState as ReviewState;
	const move = async (who: Role | 'second editor', to: ReviewState, comment?: string) => {
		const res = await clients[who].post(`/api/pieces/${pieceId}/review`, comment === undefined ? { to } : { to, comment });
		expect(res.status, `${who} → ${to}: ${res.text}`).toBe(200);
	};
	/** The editor takes the piece back to draft, then forward to `state`, through the workflow. */
	const bringTo = async (state: ReviewState) => {
		let now = await stateNow();
		if (now === 'changes_requested') await move('editor', (now = 'in_review'));
		if (now !== 'draft') await move('editor', (now = 'draft'));
		if (state === 'draft') return;
		await move('editor', 'in_review');
		if (state === 'changes_requested') await move('editor', 'changes_requested', 'Back to the author, for the table.');
		if (state === 'approved' || state === 'published') await move('editor', 'approved');
		if (state === 'published') await move('editor', 'published');
	};
	/** The notifications of the piece each person has, by id. */
	const notesOf = async () => {
		const out = {} as Record<string, Note[]>;
		for (const who of Object.keys(clients)) {
			const res = await clients[who as Role].get('/api/notifications?limit=200');
			expect(res.status).toBe(200);
			out[who] = (res.json.notifications as Note[]).filter((n) => n.pieceId === pieceId);
		}
		return out;
	};
	/** Make the move, and give back who was notified of it (each person's new notifications). */
	const notifiedBy = async (who: Role | 'second editor', to: ReviewState, comment?: string) => {
		const before = await notesOf();
		await move(who, to, comment);
		const after = await notesOf();
		const fresh: Record<string, Note[]> = {};
		for (const [person, list] of Object.entries(after)) {
			const added = list.filter((n) => !before[person].some((b) => b.id === n.id));
			if (added.length) fresh[person] = added;
		}
		return fresh;
	};

	it('notifies exactly whom each move concerns, in words naming the piece, the mover and the reason; and tells the open pages of the piece', async () => {
		const abort = new AbortController();
		const stream = await fetch(`${galley.url}/api/events?piece=${pieceId}`, { headers: { authorization: `Bearer ${clients.viewer.token}` }, signal: abort.signal });
		expect(stream.status).toBe(200);
		const reader = stream.body!.getReader();
		let events = '';
		const readUntil = async (needle: string) => {
			while (!events.includes(needle)) {
				const { value, done } = await reader.read();
				if (done) throw new Error(`the stream ended before "${needle}"`);
				events += new TextDecoder().decode(value);
			}
		};
		await readUntil(': listening');
		try {
			const t = `“${title}”`;
			const submitted = await notifiedBy('owner', 'in_review');
			await readUntil('event: history');
			expect(events).toContain(`data: {"type":"history","pieceId":"${pieceId}"}`);
			expect(Object.keys(submitted).sort()).toEqual(['editor', 'second editor']);
			expect(submitted.editor.map((n) => [n.type, n.text])).toEqual([['review_requested', `The owner submitted ${t} for review`]]);

			const requested = await notifiedBy('editor', 'changes_requested', `  ${REASON}\n`);
			expect(Object.keys(requested).sort()).toEqual(['author', 'owner']);
			for (const who of ['author', 'owner']) expect(requested[who].map((n) => [n.type, n.text])).toEqual([['changes_requested', `Eda Editor requested changes to ${t}: “${REASON}”`]]);

			const resubmitted = await notifiedBy('author', 'in_review');
			expect(Object.keys(resubmitted).sort()).toEqual(['editor', 'second editor']);
			expect(resubmitted['second editor'][0].text).toBe(`The author resubmitted ${t} for review`);

			for (const [who, to, type, words] of [
				['editor', 'approved', 'approved', `Eda Editor approved ${t}: “Clean copy.”`],
				['second editor', 'published', 'published', `The second editor published ${t}`],
				['editor', 'draft', 'reopened', `Eda Editor reopened ${t}`]
			] as const) {
				const notified = await notifiedBy(who, to, to === 'approved' ? 'Clean copy.' : undefined);
				expect(Object.keys(notified).sort(), to).toEqual(['author', 'owner']);
				for (const person of ['author', 'owner']) expect(notified[person].map((n) => [n.type, n.text])).toEqual([[type, words]]);
			}

			await move('owner', 'in_review');
			expect(await notifiedBy('owner', 'draft')).toEqual({}); // an author withdrawing their own piece tells nobody
		} finally {
			abort.abort();
		}
	});

	it('lists the moves newest first, with who made them, when and why, to everyone who may see the piece, and to nobody else', async () => {
		const res = await clients.viewer.get(`/api/pieces/${pieceId}/history`);
		expect(res.status).toBe(200);
		const history = res.json.history as { type: string; at: string; actor: { id: string; name: string } | null; from: string; to: string; comment: string | null; versionId: string | null }[];
		expect(history.map((e) => [e.type, e.actor?.name, e.from, e.to, e.comment])).toEqual([
			['move', 'The owner', 'in_review', 'draft', null],
			['move', 'The owner', 'draft', 'in_review', null],
			['move', 'Eda Editor', 'published', 'draft', null],
			['move', 'The second editor', 'approved', 'published', null],
			['move', 'Eda Editor', 'in_review', 'approved', 'Clean copy.'],
			['move', 'The author', 'changes_requested', 'in_review', null],
			['move', 'Eda Editor', 'in_review', 'changes_requested', REASON],
			['move', 'The owner', 'draft', 'in_review', null]
		]);
		expect(history[0].actor!.id).toBe(userIds.owner);
		expect(history.every((e, i) => i === 0 || e.at <= history[i - 1].at)).toBe(true);
		expect(history.every((e) => !Number.isNaN(Date.parse(e.at)) && (e.versionId === null || typeof e.versionId === 'string'))).toBe(true);
		for (const role of rolesHere) expect((await clients[role].get(`/api/pieces/${pieceId}/history`)).status, role).toBe(role === 'unassigned' ? 404 : 200);
		expect((await clients.editor.get('/api/pieces/no-such-piece/history')).status).toBe(404);
	});

	it('refuses a request for changes without a reason (422, field `comment`) and changes nothing; a refusal of the role or the state comes first', async () => {
		await bringTo('in_review');
		const historyBefore = (await clients.editor.get(`/api/pieces/${pieceId}/history`)).json.history;
		for (const body of [{ to: 'changes_requested' }, { to: 'changes_requested', comment: '' }, { to: 'changes_requested', comment: ' \n\t ' }]) {
			const res = await clients.editor.post(`/api/pieces/${pieceId}/review`, body);
			expect(res.status, JSON.stringify(body)).toBe(422);
			expect(res.json.error.field).toBe('comment');
			expect(res.json.error.message).toMatch(/requesting changes needs a comment/i);
		}
		expect(await stateNow()).toBe('in_review');
		expect((await clients.editor.get(`/api/pieces/${pieceId}/history`)).json.history).toEqual(historyBefore);
		expect((await clients.owner.post(`/api/pieces/${pieceId}/review`, { to: 'changes_requested' })).status).toBe(403); // the author never requests changes
		await bringTo('draft');
		const early = await clients.editor.post(`/api/pieces/${pieceId}/review`, { to: 'changes_requested' });
		expect(early.status).toBe(409); // not from a draft, reason or not
		expect(early.json.error.allowed).toEqual(['in_review']);
	});

	it.each(STATES)(
		'every role × every move from %s: 200, 403, 404 or 409 with the moves allowed, and only a 200 changes the state',
		async (from) => {
			await bringTo(from);
			for (const role of rolesHere) {
				for (const to of STATES) {
					const body = to === 'changes_requested' ? { to, comment: REASON } : { to };
					const res = await clients[role].post(`/api/pieces/${pieceId}/review`, body);
					const want = expected(role, from, to);
					expect(res.status, `${role}: ${from} → ${to}`).toBe(want);
					if (want === 404) expect(res.text).not.toContain(title);
					if (want === 409) {
						const allowed = STATES.filter((s) => expected(role, from, s) === 200);
						expect([...res.json.error.allowed].sort(), `${role}: ${from} → ${to}`).toEqual(allowed.sort());
					}
					if (want === 200) {
						expect(res.json.piece.reviewState).toBe(to);
						await bringTo(from);
					} else expect(await stateNow(), `${role}: ${from} → ${to}`).toBe(from);
				}
			}
		},
		TABLE_TIMEOUT
	);

	it('puts each version saved otherwise than at a move among the moves, and links a move to the version saved at it', async () => {
		// piece_versions is written by the versions' commands; here the rows are put in the database directly
		expect(await galley.stop()).toBe(0);
		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		try {
			const { db } = handle;
			const [last] = (await db.select().from(reviewEvents)).filter((e) => e.pieceId === pieceId).sort((a, b) => b.id - a.id);
			const later = (seconds: number) => new Date(last.createdAt.getTime() + seconds * 1000);
			const state = Y.encodeStateAsUpdate(new Y.Doc());
			// a `review` version of the last move (unless the review route saved one already)
			const saved = (await db.select().from(pieceVersions)).filter((v) => v.reviewEventId === last.id && v.kind === 'review');
			const reviewVersion = saved[0]?.id ?? `v-review-${run}`;
			if (!saved.length) await db.insert(pieceVersions).values({ id: reviewVersion, pieceId, kind: 'review', label: 'At the last move', state, reviewEventId: last.id, createdBy: last.actorId, createdAt: last.createdAt });
			await db.insert(pieceVersions).values([
				{ id: `v-named-${run}`, pieceId, kind: 'named', label: 'Before the cuts', state, createdBy: userIds.editor, createdAt: later(60) },
				{ id: `v-before-${run}`, pieceId, kind: 'before_restore', label: 'Before restoring “Before the cuts”', state, restoredFrom: `v-named-${run}`, createdBy: userIds.author, createdAt: later(120) }
			]);
			const history = await pieceHistory(db, pieceId);
			expect(history.slice(0, 3)).toEqual([
				{ type: 'version', at: later(120).toISOString(), actor: { id: userIds.author, name: 'The author' }, id: `v-before-${run}`, kind: 'before_restore', label: 'Before restoring “Before the cuts”', restoredFrom: `v-named-${run}` },
				{ type: 'version', at: later(60).toISOString(), actor: { id: userIds.editor, name: 'Eda Editor' }, id: `v-named-${run}`, kind: 'named', label: 'Before the cuts', restoredFrom: null },
				{ type: 'move', at: last.createdAt.toISOString(), actor: { id: last.actorId, name: names[(Object.keys(userIds) as Role[]).find((r) => userIds[r] === last.actorId)!] }, from: last.fromState, to: last.toState, comment: last.comment, versionId: reviewVersion }
			]);
			expect(history.filter((e) => e.type === 'version')).toHaveLength(2); // the review version comes with its move, not as an entry
		} finally {
			await handle.close();
		}
	});
});
