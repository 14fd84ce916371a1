// Bulletin issues and their table of contents through the API, as a script uses it (Bearer token, no
// Origin): creating and changing issues, sections kept in a dense order, placing pieces, a contributor's
// board showing only what they may see, and the board's live events at /api/events?issue=.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, tokenClient } from '../support/api-client';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;
const CONTRIBUTOR = { email: 'lucia@example.org', name: 'Lucía Ferraro', password: 'contributor secret 1', role: 'contributor' };

type BoardBody = {
	issue: { id: string; publication: string; volume: number; number: number; date: string | null; tagline: string | null };
	sections: { id: string; title: string; position: number; pieces: { id: string; title: string; position: number; authors: string[]; wordCount: number; late: boolean }[] }[];
	unplaced: { id: string; title: string }[];
	actions: { plan: boolean };
};

/** The titles of a board, section by section, and the unplaced pieces under `null`. */
function tableOfContents(board: BoardBody): [string | null, string[]][] {
	return [...board.sections.map((s) => [s.title, s.pieces.map((p) => p.title)] as [string, string[]]), [null, board.unplaced.map((p) => p.title)]];
}

/** Reads server-sent events from a fetch response until `predicate` accepts one. */
class EventReader {
	private buffer = '';
	private reader: ReadableStreamDefaultReader<Uint8Array>;
	private decoder = new TextDecoder();
	constructor(response: Response) {
		this.reader = response.body!.getReader();
	}
	/** The next chunk of text that matches, within the timeout. */
	async until(predicate: (block: string) => boolean, timeout = 10_000): Promise<string> {
		const deadline = Date.now() + timeout;
		for (;;) {
			const blocks = this.buffer.split('\n\n');
			this.buffer = blocks.pop()!;
			for (const [i, block] of blocks.entries()) {
				if (predicate(block)) {
					this.buffer = blocks.slice(i + 1).join('\n\n') + (blocks.length > i + 1 ? '\n\n' : '') + this.buffer;
					return block;
				}
			}
			const left = deadline - Date.now();
			if (left <= 0) throw new Error('no matching event in time');
			let timer: NodeJS.Timeout | undefined;
			const chunk = await Promise.race([
				this.reader.read(),
				new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no matching event in time')), left)))
			]).finally(() => clearTimeout(timer));
			if (chunk.done) throw new Error('the event stream ended');
			this.buffer += this.decoder.decode(chunk.value, { stream: true });
		}
	}
	cancel() {
		return this.reader.cancel().catch(() => {});
	}
}

describe.each(databaseKinds())('issues and their table of contents on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let script: TestClient; // the editor's API token
	let lucia: TestClient; // a contributor's API token
	let issueId: string;
	let sections: Record<string, string>;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const editor = await setUpEditor(galley.url);
		script = await tokenClient(editor, 'issues');
		expect((await editor.post('/api/people', CONTRIBUTOR)).status).toBe(201);
		const signedIn = new TestClient(galley.url);
		expect((await signedIn.post('/api/auth/login', { email: CONTRIBUTOR.email, password: CONTRIBUTOR.password })).status).toBe(200);
		lucia = await tokenClient(signedIn, 'issues');
		for (const client of [script, lucia]) expect(client.cookie).toBeNull(); // a script: no cookie, no Origin
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('requires authentication on every issue route', async () => {
		const anonymous = new TestClient(galley.url);
		for (const [method, path] of [
			['GET', '/api/issues'],
			['POST', '/api/issues'],
			['GET', '/api/issues/x'],
			['PATCH', '/api/issues/x'],
			['POST', '/api/issues/x/sections'],
			['PATCH', '/api/sections/x'],
			['DELETE', '/api/sections/x']
		]) {
			const res = await anonymous.request(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
			expect(res.status, `${method} ${path}`).toBe(401);
		}
	});

	it('lets the editor create an issue with its sections in order (201), remembered for the next issue', async () => {
		const before = await script.get('/api/issues');
		expect(before.json).toMatchObject({ issues: [], next: null });
		const res = await script.post('/api/issues', {
			publication: 'Basin Watch',
			tagline: 'Weekly analysis of water, conflict and the rivers between',
			volume: 19,
			number: 3,
			date: '2027-03-15',
			sections: ['Briefs', 'Articles', 'Interview']
		});
		expect(res.status, res.text).toBe(201);
		expect(res.json.issue).toMatchObject({ publication: 'Basin Watch', volume: 19, number: 3, date: '2027-03-15' });
		issueId = res.json.issue.id;
		const board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(board.sections.map((s) => [s.title, s.position])).toEqual([['Briefs', 0], ['Articles', 1], ['Interview', 2]]);
		expect(board.actions.plan).toBe(true);
		sections = Object.fromEntries(board.sections.map((s) => [s.title, s.id]));
		const list = await script.get('/api/issues');
		expect(list.status).toBe(200);
		expect(list.json.issues.map((i: { id: string }) => i.id)).toEqual([issueId]);
		expect(list.json.next).toEqual({ publication: 'Basin Watch', tagline: 'Weekly analysis of water, conflict and the rivers between', volume: 19, number: 4 });
	});

	it('refuses bad issues: 400 for a bad body, 422 for an impossible day, 403 for a contributor, 404 for an unknown issue', async () => {
		for (const body of [{ publication: '', volume: 1, number: 1 }, { publication: 'Basin Watch', volume: 0, number: 1 }, { publication: 'Basin Watch', volume: 2.5, number: 1 }, { publication: 'Basin Watch', volume: 1, number: -1 }, { publication: 'Basin Watch', volume: 1, number: 1, date: '15 March' }]) {
			const res = await script.post('/api/issues', body);
			expect(res.status, JSON.stringify(body)).toBe(400);
			expect(res.json.error.message).toBeTruthy();
		}
		const impossible = await script.post('/api/issues', { publication: 'Basin Watch', volume: 1, number: 1, date: '2027-02-30' });
		expect(impossible.status).toBe(422);
		expect(impossible.json.error.field).toBe('date');
		expect((await lucia.post('/api/issues', { publication: 'Basin Watch', volume: 1, number: 1 })).status).toBe(403);
		expect((await lucia.patch(`/api/issues/${issueId}`, { number: 9 })).status).toBe(403);
		expect((await script.get('/api/issues/no-such-issue')).status).toBe(404);
		expect((await script.patch('/api/issues/no-such-issue', { number: 9 })).status).toBe(404);
		expect((await script.patch(`/api/issues/${issueId}`, {})).status).toBe(400);
	});

	it('lets the editor change an issue’s details', async () => {
		const res = await script.patch(`/api/issues/${issueId}`, { number: 4, date: null, tagline: 'Analysis of the Varesh Basin' });
		expect(res.status, res.text).toBe(200);
		expect(res.json.issue).toMatchObject({ volume: 19, number: 4, date: null, tagline: 'Analysis of the Varesh Basin' });
	});

	it('keeps sections in a dense order as they are added, moved and deleted', async () => {
		const added = await script.post(`/api/issues/${issueId}/sections`, { title: 'Commentary' });
		expect(added.status, added.text).toBe(201);
		expect(added.json.section).toMatchObject({ title: 'Commentary', position: 3 });
		const moved = await script.patch(`/api/sections/${added.json.section.id}`, { position: 1, title: 'Comment' });
		expect(moved.status, moved.text).toBe(200);
		expect(moved.json.section).toMatchObject({ title: 'Comment', position: 1 });
		const far = await script.patch(`/api/sections/${sections.Briefs}`, { position: 99 });
		expect(far.json.section.position).toBe(3);
		let board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(board.sections.map((s) => [s.title, s.position])).toEqual([['Comment', 0], ['Articles', 1], ['Interview', 2], ['Briefs', 3]]);
		expect((await script.patch(`/api/sections/${sections.Briefs}`, { position: 0 })).status).toBe(200);
		expect((await script.request('DELETE', `/api/sections/${added.json.section.id}`)).status).toBe(200);
		board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(board.sections.map((s) => [s.title, s.position])).toEqual([['Briefs', 0], ['Articles', 1], ['Interview', 2]]);
	});

	it('refuses bad section changes: 400, 403 for a contributor, 404 for unknown ones', async () => {
		expect((await script.post(`/api/issues/${issueId}/sections`, { title: ' ' })).status).toBe(400);
		expect((await script.post('/api/issues/no-such-issue/sections', { title: 'Briefs' })).status).toBe(404);
		expect((await script.patch(`/api/sections/${sections.Briefs}`, { position: -1 })).status).toBe(400);
		expect((await script.patch(`/api/sections/${sections.Briefs}`, {})).status).toBe(400);
		expect((await script.patch('/api/sections/no-such-section', { title: 'x' })).status).toBe(404);
		expect((await script.request('DELETE', '/api/sections/no-such-section')).status).toBe(404);
		expect((await lucia.post(`/api/issues/${issueId}/sections`, { title: 'Mine' })).status).toBe(403);
		expect((await lucia.patch(`/api/sections/${sections.Briefs}`, { title: 'Mine' })).status).toBe(403);
		expect((await lucia.request('DELETE', `/api/sections/${sections.Briefs}`)).status).toBe(403);
	});

	it('places pieces in order, moves them between sections, keeps positions dense, and unplaces them', async () => {
		const make = async (client: TestClient, title: string, kind = 'brief') => (await client.post('/api/pieces', { kind, title })).json.piece.id as string;
		const canal = await make(script, 'Sabotage on the Varesh Canal');
		const herders = await make(script, 'Did the Drought Push the Herders?');
		const wardens = await make(lucia, 'The Campaign Against the River Wardens', 'article');
		const place = (id: string, body: Record<string, unknown>) => script.patch(`/api/pieces/${id}`, body);
		expect((await place(canal, { issueId, sectionId: sections.Briefs })).status).toBe(200);
		expect((await place(wardens, { issueId, sectionId: sections.Briefs })).status).toBe(200);
		const first = await place(herders, { issueId, sectionId: sections.Briefs, position: 0 });
		expect(first.status, first.text).toBe(200);
		expect(first.json.piece).toMatchObject({ id: herders, issueId, sectionId: sections.Briefs });
		let board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(board.sections[0].pieces.map((p) => [p.title, p.position])).toEqual([
			['Did the Drought Push the Herders?', 0],
			['Sabotage on the Varesh Canal', 1],
			['The Campaign Against the River Wardens', 2]
		]);
		// to another section by sectionId alone (same issue), then an unplaced one by sectionId null
		expect((await place(wardens, { sectionId: sections.Articles })).status).toBe(200);
		expect((await place(canal, { sectionId: null })).status).toBe(200);
		board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(tableOfContents(board)).toEqual([
			['Briefs', ['Did the Drought Push the Herders?']],
			['Articles', ['The Campaign Against the River Wardens']],
			['Interview', []],
			[null, ['Sabotage on the Varesh Canal']]
		]);
		expect(board.sections[0].pieces[0]).toMatchObject({ position: 0, authors: ['Eda Editor'], wordCount: expect.any(Number), late: false });
		// deleting a section leaves its pieces in the issue, in no section
		const extra = (await script.post(`/api/issues/${issueId}/sections`, { title: 'Maps' })).json.section.id;
		expect((await place(herders, { sectionId: extra })).status).toBe(200);
		expect((await script.request('DELETE', `/api/sections/${extra}`)).status).toBe(200);
		board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(tableOfContents(board).at(-1)).toEqual([null, ['Sabotage on the Varesh Canal', 'Did the Drought Push the Herders?']]);
		// out of the issue
		const out = await place(canal, { issueId: null });
		expect(out.status).toBe(200);
		expect(out.json.piece).toMatchObject({ issueId: null, sectionId: null });
		board = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect(board.unplaced.map((p) => p.title)).toEqual(['Did the Drought Push the Herders?']);
	});

	it('refuses bad placing: 422 for a section of another issue or an unknown issue, 403 for a contributor, 404 for a hidden piece', async () => {
		const other = (await script.post('/api/issues', { publication: 'Basin Watch', volume: 19, number: 5, sections: ['Briefs'] })).json;
		const otherSection = ((await script.get(`/api/issues/${other.issue.id}`)).json as BoardBody).sections[0].id;
		const piece = (await script.post('/api/pieces', { kind: 'brief', title: 'Flood-Gate Data' })).json.piece.id;
		const wrong = await script.patch(`/api/pieces/${piece}`, { issueId, sectionId: otherSection });
		expect(wrong.status).toBe(422);
		expect(wrong.json.error.field).toBe('sectionId');
		const wrongAlone = await script.patch(`/api/pieces/${piece}`, { sectionId: otherSection }); // the piece is in no issue
		expect(wrongAlone.status).toBe(422);
		const unknown = await script.patch(`/api/pieces/${piece}`, { issueId: 'no-such-issue' });
		expect(unknown.status).toBe(422);
		expect(unknown.json.error.field).toBe('issueId');
		// a refused placing changes nothing, the title sent beside it included
		const both = await script.patch(`/api/pieces/${piece}`, { title: 'Renamed', issueId, sectionId: otherSection });
		expect(both.status).toBe(422);
		expect((await script.get(`/api/pieces/${piece}`)).json.piece).toMatchObject({ title: 'Flood-Gate Data', issueId: null });
		expect((await script.patch(`/api/pieces/${piece}`, { position: -1 })).status).toBe(400);
		const own = (await lucia.post('/api/pieces', { kind: 'brief', title: 'Lucía’s own brief' })).json.piece.id;
		expect((await lucia.patch(`/api/pieces/${own}`, { issueId })).status).toBe(403);
		expect((await lucia.patch(`/api/pieces/${piece}`, { issueId })).status).toBe(404);
		// placing needs no details version, and the title and placing can change together
		const together = await script.patch(`/api/pieces/${piece}`, { title: 'Flood-Gate Data Shared', issueId: other.issue.id, sectionId: otherSection });
		expect(together.status, together.text).toBe(200);
		expect(together.json.piece).toMatchObject({ title: 'Flood-Gate Data Shared', issueId: other.issue.id, sectionId: otherSection });
		// a placing on a locked (approved) piece is allowed: placing is not a piece detail
		for (const to of ['in_review', 'approved']) expect((await script.post(`/api/pieces/${piece}/review`, { to })).status).toBe(200);
		expect((await script.patch(`/api/pieces/${piece}`, { issueId })).status).toBe(200);
		expect((await script.patch(`/api/pieces/${piece}`, { title: 'Locked' })).status).toBe(409);
	});

	it('shows a contributor the issue and its sections, but only the pieces they may see', async () => {
		const mine = await lucia.get(`/api/issues/${issueId}`);
		expect(mine.status).toBe(200);
		const board = mine.json as BoardBody;
		expect(board.actions.plan).toBe(false);
		expect(board.sections.map((s) => s.title)).toEqual(['Briefs', 'Articles', 'Interview']);
		const titles = [...board.sections.flatMap((s) => s.pieces), ...board.unplaced].map((p) => p.title);
		expect(titles).toEqual(['The Campaign Against the River Wardens']);
		const editors = (await script.get(`/api/issues/${issueId}`)).json as BoardBody;
		expect([...editors.sections.flatMap((s) => s.pieces), ...editors.unplaced].length).toBeGreaterThan(titles.length);
		expect((await lucia.get('/api/issues')).json.issues.length).toBe(2);
	});

	it('sends a `board` event on /api/events?issue= after a change, and a `piece` event after a review move', async () => {
		const res = await fetch(`${galley.url}/api/events?issue=${issueId}`, { headers: { authorization: `Bearer ${lucia.token}` } });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toContain('text/event-stream');
		const events = new EventReader(res);
		try {
			await events.until((b) => b.includes('listening'));
			expect((await script.post(`/api/issues/${issueId}/sections`, { title: 'Letters' })).status).toBe(201);
			const board = await events.until((b) => b.startsWith('event: board'));
			expect(JSON.parse(board.split('data: ')[1])).toEqual({ type: 'board', issueId });
			const wardens = (await script.get(`/api/issues/${issueId}`)).json.sections[1].pieces[0].id;
			expect((await lucia.post(`/api/pieces/${wardens}/review`, { to: 'in_review' })).status).toBe(200);
			const piece = await events.until((b) => b.startsWith('event: piece'));
			expect(JSON.parse(piece.split('data: ')[1])).toMatchObject({ type: 'piece', issueId });
		} finally {
			await events.cancel();
		}
		expect((await script.get('/api/events?issue=no-such-issue')).status).toBe(404);
	});
});
