// The pieces list as it grows up with the archive: search by title and printed text, every filter, sort,
// paging, 400 naming a bad parameter, exactly the pieces a contributor may see; archiving, restoring and
// deleting (the editor only, Bearer without Origin); the word count and "updated" moving after typing over
// the websocket, and the `piece` event on /api/events?pieces=1 that tells open lists to re-read.
// Issues, sections and assignments are written to the database while the server is stopped (their routes
// belong to other parts of this work): a PGlite folder must never have two processes on it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, signedInToken, tokenClient } from '../support/api-client';
import { listenToEvents } from '../support/live-events';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { openDatabase } from '../../src/lib/server/db/client';
import { assignments, bulletinIssues, pieces, sections } from '../../src/lib/server/db/schema';

const START_TIMEOUT = 180_000;
const CARL = { email: 'carl@example.org', name: 'Carl Contributor', password: 'contributor secret 1', role: 'contributor' };
const DANA = { email: 'dana@example.org', name: 'Dana Contributor', password: 'contributor secret 2', role: 'contributor' };

type Listed = { id: string; title: string; kind: string; reviewState: string; wordCount: number; updatedAt: string; dueOn: string | null; issue: { id: string; number: number } | null; section: { id: string; title: string } | null; actions: Record<string, boolean> };

/** A Bearer client sends no Origin and no cookie: what a script does. */
async function signedInScript(base: string, who: { email: string; password: string }): Promise<TestClient> {
	const script = await signedInToken(base, who, 'pieces-list');
	expect(script.cookie).toBeNull();
	return script;
}

describe.each(databaseKinds())('the pieces list on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let script: TestClient; // the editor's token
	let carl: TestClient;
	let dana: TestClient;
	let carlId: string;
	const ids: Record<string, string> = {};
	const issueId = `issue-${Date.now()}`;
	const sectionId = `section-${Date.now()}`;
	const clients: CollabClient[] = [];

	const list = async (client: TestClient, query = '') => {
		const res = await client.get(`/api/pieces${query}`);
		expect(res.status, res.text).toBe(200);
		return res.json as { pieces: Listed[]; total: number; limit: number; offset: number };
	};
	const titles = async (client: TestClient, query = '') => (await list(client, query)).pieces.map((p) => p.title);

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		script = await tokenClient(editor, 'pieces-list');
		for (const person of [CARL, DANA]) expect((await editor.post('/api/people', person)).status).toBe(201);
		carl = await signedInScript(galley.url, CARL);
		dana = await signedInScript(galley.url, DANA);
		carlId = (await carl.get('/api/me')).json.user.id;
		const create = async (client: TestClient, key: string, body: Record<string, unknown>) => {
			const res = await client.post('/api/pieces', body);
			expect(res.status, res.text).toBe(201);
			ids[key] = res.json.piece.id;
		};
		await create(script, 'canal', { kind: 'brief', title: 'Basin Watch: Varesh Canal closes', text: 'Flooding closed the Varesh Canal on Tuesday.\n\nBarges waited at the lock gates.' });
		await create(script, 'dams', { kind: 'article', title: 'Dams upstream hold the melt', text: 'Two dams upstream held back the spring melt.\n\n## Why it matters\n\nDownstream farms went dry for a month while reservoirs filled.' });
		await create(script, 'talk', { kind: 'interview', title: 'Interview: the lock keeper' });
		await create(carl, 'carls', { kind: 'brief', title: 'Ferry fares rise on the delta', text: 'Fares rose by a third.' });
		// issue, section and assignments: written while the server is stopped (see the top of the file)
		const port = galley.port; // the clients keep talking to it
		expect(await galley.stop()).toBe(0);
		const handle = await openDatabase({ databaseUrl: database.env.DATABASE_URL || null, dataDir: database.env.GALLEY_DATA_DIR ?? '' });
		try {
			await handle.db.insert(bulletinIssues).values({ id: issueId, publication: 'Basin Watch', volume: 7, number: 12 });
			await handle.db.insert(sections).values({ id: sectionId, issueId, title: 'Briefs', position: 0 });
			await handle.db.update(pieces).set({ issueId, sectionId }).where(eq(pieces.id, ids.canal));
			await handle.db.update(pieces).set({ issueId }).where(eq(pieces.id, ids.dams));
			await handle.db.insert(assignments).values([
				{ id: `a1-${issueId}`, pieceId: ids.talk, userId: carlId, role: 'author', dueOn: '2020-01-15' },
				{ id: `a2-${issueId}`, pieceId: ids.dams, userId: carlId, role: 'viewer', dueOn: '2099-06-01' }
			]);
		} finally {
			await handle.close();
		}
		galley = await startGalley(serverEnv(database), { port });
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await galley?.stop();
		await database?.drop();
	});

	it('gives a piece created with text its word count at once, without endnotes or template prompts, and keeps the old fields', async () => {
		const { pieces: listed, total } = await list(script);
		expect(total).toBe(4);
		const canal = listed.find((p) => p.id === ids.canal)!;
		expect(canal).toMatchObject({ wordCount: 13, kind: 'brief', reviewState: 'draft', createdByName: expect.any(String), detailsVersion: 1, issue: { id: issueId, number: 12 }, section: { id: sectionId, title: 'Briefs' }, dueOn: null });
		expect(listed.find((p) => p.id === ids.talk)).toMatchObject({ wordCount: 0, dueOn: '2020-01-15', issue: null });
	});

	it('searches the title and the printed text, by whole words and their beginnings', async () => {
		expect(await titles(script, '?q=flooding')).toEqual(['Basin Watch: Varesh Canal closes']);
		expect(await titles(script, '?q=floo')).toEqual(['Basin Watch: Varesh Canal closes']);
		expect(await titles(script, '?q=reservoirs%20downstream')).toEqual(['Dams upstream hold the melt']);
		expect(await titles(script, '?q=lock%20keeper')).toEqual(['Interview: the lock keeper']);
		expect(await titles(script, '?q=nothing-like-this-anywhere')).toEqual([]);
	});

	it('filters by issue (and unplaced), section, kind, state, assignee and overdue', async () => {
		expect((await titles(script, `?issue=${issueId}&sort=title`))).toEqual(['Basin Watch: Varesh Canal closes', 'Dams upstream hold the melt']);
		expect((await titles(script, '?issue=none&sort=title'))).toEqual(['Ferry fares rise on the delta', 'Interview: the lock keeper']);
		expect(await titles(script, `?section=${sectionId}`)).toEqual(['Basin Watch: Varesh Canal closes']);
		expect(await titles(script, '?kind=interview')).toEqual(['Interview: the lock keeper']);
		const moved = await script.post(`/api/pieces/${ids.dams}/review`, { to: 'in_review' });
		expect(moved.status, moved.text).toBe(200);
		expect(await titles(script, '?state=in_review')).toEqual(['Dams upstream hold the melt']);
		expect(await titles(script, `?assignee=${carlId}&sort=title`)).toEqual(['Dams upstream hold the melt', 'Interview: the lock keeper']);
		expect(await titles(script, '?overdue=1')).toEqual(['Interview: the lock keeper']);
	});

	it('sorts by each column both ways, and pages with a total', async () => {
		expect(await titles(script, '?sort=title')).toEqual(['Basin Watch: Varesh Canal closes', 'Dams upstream hold the melt', 'Ferry fares rise on the delta', 'Interview: the lock keeper']);
		expect(await titles(script, '?sort=title&order=desc')).toEqual(['Interview: the lock keeper', 'Ferry fares rise on the delta', 'Dams upstream hold the melt', 'Basin Watch: Varesh Canal closes']);
		const words = await list(script, '?sort=words');
		expect(words.pieces.map((p) => p.wordCount)).toEqual([...words.pieces.map((p) => p.wordCount)].sort((a, b) => b - a));
		expect(words.pieces[0].title).toBe('Dams upstream hold the melt');
		expect((await titles(script, '?sort=due')).slice(0, 2)).toEqual(['Interview: the lock keeper', 'Dams upstream hold the melt']);
		expect((await titles(script, '?sort=due&order=desc')).slice(0, 2)).toEqual(['Dams upstream hold the melt', 'Interview: the lock keeper']);
		for (const sort of ['kind', 'state', 'updated', 'created']) expect((await list(script, `?sort=${sort}`)).pieces).toHaveLength(4);
		const first = await list(script, '?sort=title&limit=3');
		const second = await list(script, '?sort=title&limit=3&offset=3');
		expect([first.total, second.total, first.pieces.length, second.pieces.length]).toEqual([4, 4, 3, 1]);
		expect(second.pieces[0].title).toBe('Interview: the lock keeper');
	});

	it('answers a bad parameter with 400 naming it', async () => {
		for (const [query, field] of [['limit=500', 'limit'], ['limit=0', 'limit'], ['offset=-1', 'offset'], ['sort=colour', 'sort'], ['order=up', 'order'], ['kind=poem', 'kind'], ['state=done', 'state'], ['overdue=yes', 'overdue'], ['archived=maybe', 'archived']]) {
			const res = await script.get(`/api/pieces?${query}`);
			expect(res.status, query).toBe(400);
			expect(res.json.error.field, query).toBe(field);
			expect(res.json.error.message).toContain(field);
		}
		const unknown = await script.get('/api/pieces?colour=red');
		expect(unknown.status).toBe(400);
		expect(unknown.json.error.message).toContain('colour');
	});

	it('shows a contributor exactly the pieces they created or are assigned to, in every search and filter', async () => {
		const mine = await list(carl, '?sort=title');
		expect(mine.pieces.map((p) => p.title)).toEqual(['Dams upstream hold the melt', 'Ferry fares rise on the delta', 'Interview: the lock keeper']);
		expect(mine.total).toBe(3);
		expect(await titles(carl, '?q=flooding')).toEqual([]);
		expect(await titles(carl, `?section=${sectionId}`)).toEqual([]);
		expect((await list(dana)).total).toBe(0);
		expect(mine.pieces.every((p) => !p.actions.archive && !p.actions.delete)).toBe(true);
	});

	it('lets only the editor archive, restore and delete an archived piece, over Bearer without Origin', async () => {
		const id = ids.carls;
		expect((await carl.post(`/api/pieces/${id}/archive`)).status).toBe(403);
		expect((await dana.post(`/api/pieces/${id}/archive`)).status).toBe(404);
		const live = await script.request('DELETE', `/api/pieces/${id}`);
		expect(live.status).toBe(409);
		const archived = await script.post(`/api/pieces/${id}/archive`);
		expect(archived.status, archived.text).toBe(200);
		expect(archived.json.piece).toMatchObject({ archivedAt: expect.any(String), actions: { restore: true, archive: false, delete: true, edit_text: false } });
		expect((await script.post(`/api/pieces/${id}/archive`)).status).toBe(200); // twice: nothing more happens
		expect(await titles(script, '?q=ferry')).toEqual([]);
		expect(await titles(script, '?archived=1')).toEqual(['Ferry fares rise on the delta']);
		expect(await titles(carl, '?archived=1')).toEqual(['Ferry fares rise on the delta']);
		// read-only while archived, for its creator and the editor alike
		expect((await carl.patch(`/api/pieces/${id}`, { title: 'Ferry fares rise again' })).status).toBe(409);
		expect((await script.patch(`/api/pieces/${id}`, { title: 'Ferry fares rise again' })).status).toBe(409);
		const restored = await script.post(`/api/pieces/${id}/restore`);
		expect(restored.status).toBe(200);
		expect(restored.json.piece.archivedAt).toBeNull();
		expect(await titles(script, '?q=ferry')).toEqual(['Ferry fares rise on the delta']);
		expect((await script.post(`/api/pieces/${id}/archive`)).status).toBe(200);
		expect((await carl.request('DELETE', `/api/pieces/${id}`)).status).toBe(403);
		const deleted = await script.request('DELETE', `/api/pieces/${id}`);
		expect(deleted.status, deleted.text).toBe(204);
		expect((await script.get(`/api/pieces/${id}`)).status).toBe(404);
		expect((await script.get(`/api/pieces/${id}/content?format=json`)).status).toBe(404);
		expect((await script.request('DELETE', `/api/pieces/${id}`)).status).toBe(404);
		expect(await titles(script, '?archived=1')).toEqual([]);
	});

	it('re-checks open editors when a piece is archived (4001, back read-only), and closes them when it is deleted (4003)', async () => {
		const id = (await script.post('/api/pieces', { kind: 'brief', title: 'Basin Watch: short-lived', text: 'Gone soon.' })).json.piece.id;
		const client = connectCollab(galley.wsUrl, id, { token: script.token! }, { presence: false });
		clients.push(client);
		await client.synced;
		expect((await script.post(`/api/pieces/${id}/archive`)).status).toBe(200);
		await vi.waitFor(() => expect(client.closes.map((c) => c.code)).toContain(4001), { timeout: 10_000 });
		await vi.waitFor(() => expect(client.provider.wsconnected).toBe(true), { timeout: 10_000 }); // back, read-only
		expect((await script.request('DELETE', `/api/pieces/${id}`)).status).toBe(204);
		await vi.waitFor(() => expect(client.closes.map((c) => c.code)).toContain(4003), { timeout: 10_000 });
		client.destroy(); // a stock client would try again, and be refused: the piece is gone
	});

	it('moves the word count and "updated" after typing over the websocket, and tells open lists with a `piece` event', async () => {
		const before = (await list(script)).pieces.find((p) => p.id === ids.canal)!;
		const feed = listenToEvents(script, '?pieces=1');
		await feed.ready;
		const client = connectCollab(galley.wsUrl, ids.canal, { token: script.token! }, { presence: false });
		clients.push(client);
		await client.synced;
		client.appendParagraph('Shipping agents expect the gates to reopen next week.');
		const after = await vi.waitFor(
			async () => {
				const piece = (await list(script, '?q=shipping')).pieces.find((p) => p.id === ids.canal);
				expect(piece?.wordCount).toBe(before.wordCount + 9);
				return piece!;
			},
			{ timeout: 30_000, interval: 200 }
		);
		expect(new Date(after.updatedAt).getTime()).toBeGreaterThan(new Date(before.updatedAt).getTime());
		expect((await titles(script, '?sort=updated&limit=1'))[0]).toBe('Basin Watch: Varesh Canal closes');
		await vi.waitFor(() => expect(feed.events).toContainEqual({ type: 'piece', data: { type: 'piece', pieceId: ids.canal, issueId } }), { timeout: 10_000 });
		feed.stop();
	});
});
