// Comments against a real Galley, called as scripts do (Bearer tokens, no Origin header): the routes and
// their statuses, mentions and the notifications they send, comments kept out of every export, and anchors
// that follow their text through concurrent edits of two stock y-websocket clients.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { TestClient, setUpEditor, signedInToken, tokenClient } from '../support/api-client';
import { listenToEvents } from '../support/live-events';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { BODY_FRAGMENT } from '../../src/lib/server/content/document';

const START_TIMEOUT = 120_000;
const run = Math.random().toString(36).slice(2, 8);
const person = (name: string) => ({ email: `${name.toLowerCase()}-${run}@example.org`, name: `${name} Okafor`, password: `${name} secret password`, role: 'contributor' });
const CARL = person('Carl');
const DORA = person('Dora');
const REX = person('Rex');

const TEXT = 'Water levels at the Kariba dam fell all spring.\n\nHerders moved their cattle north of the river.\n\nThe river council met in May. The river council met in June.';

/** The XmlText of the body holding `text`, and where `text` starts in it. */
function textHolding(doc: Y.Doc, text: string): { type: Y.XmlText; index: number } {
	const walk = (parent: Y.XmlFragment | Y.XmlElement): { type: Y.XmlText; index: number } | null => {
		for (const child of parent.toArray()) {
			if (child instanceof Y.XmlText) {
				const index = (child.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('').indexOf(text);
				if (index !== -1) return { type: child, index };
			} else if (child instanceof Y.XmlElement) {
				const found = walk(child);
				if (found) return found;
			}
		}
		return null;
	};
	const found = walk(doc.getXmlFragment(BODY_FRAGMENT));
	if (!found) throw new Error(`no text “${text}” in the body`);
	return found;
}

describe.each(databaseKinds())('comments on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient;
	let carl: TestClient;
	let dora: TestClient;
	let rex: TestClient;
	const ids: Record<string, string> = {};
	const sockets: CollabClient[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		editor = await tokenClient(await setUpEditor(galley.url), 'comment tests');
		for (const [key, who] of Object.entries({ carl: CARL, dora: DORA, rex: REX })) {
			const created = await editor.post('/api/people', who);
			expect(created.status).toBe(201);
			ids[key] = created.json.user.id;
		}
		carl = await signedInToken(galley.url, CARL, 'comment tests');
		dora = await signedInToken(galley.url, DORA, 'comment tests');
		rex = await signedInToken(galley.url, REX, 'comment tests');
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const s of sockets) s.destroy();
		await galley?.stop();
		await database?.drop();
	});

	/** A piece of the editor's with TEXT, Carl its author, Dora a viewer. */
	async function newPiece(title: string): Promise<string> {
		const res = await editor.post('/api/pieces', { kind: 'article', title, text: TEXT });
		expect(res.status).toBe(201);
		const id = res.json.piece.id as string;
		expect((await editor.post(`/api/pieces/${id}/assignments`, { userId: ids.carl, role: 'author' })).status).toBe(201);
		expect((await editor.post(`/api/pieces/${id}/assignments`, { userId: ids.dora, role: 'viewer' })).status).toBe(201);
		return id;
	}
	const comment = (by: TestClient, pieceId: string, body: Record<string, unknown>) => by.post(`/api/pieces/${pieceId}/comments`, body);
	const threads = async (by: TestClient, pieceId: string) => {
		const res = await by.get(`/api/pieces/${pieceId}/comments`);
		expect(res.status).toBe(200);
		return res.json.threads as any[];
	};
	/** The caller's notifications of comments on the piece. */
	const notificationsOf = async (by: TestClient, pieceId: string) =>
		((await by.get('/api/notifications?limit=200')).json.notifications as { type: string; text: string; pieceId: string }[]).filter(
			(n) => n.pieceId === pieceId && ['commented', 'mentioned', 'replied'].includes(n.type)
		);

	it('lets a viewer comment on quoted text: the thread carries its quote and anchor, and threads come in text order', async () => {
		const id = await newPiece('Kariba in spring');
		const later = await comment(editor, id, { body: 'Which council?', anchor: { exact: 'council met in May' } });
		expect(later.status).toBe(201);
		const res = await comment(dora, id, { body: 'Source for this?', anchor: { exact: 'fell all spring', prefix: 'Kariba dam ', suffix: '.' } });
		expect(res.status).toBe(201);
		expect(res.json.thread).toMatchObject({
			body: 'Source for this?',
			author: { id: ids.dora, name: DORA.name },
			mentions: [],
			quote: 'fell all spring',
			anchor: { exact: 'fell all spring', prefix: 'Water levels at the Kariba dam ', suffix: '.\nHerders moved their cattle nor' },
			onDeletedText: false,
			resolved: false,
			resolvedBy: null,
			replies: [],
			actions: { edit: true, delete: true, resolve: true, reply: true }
		});
		expect(res.json.thread.anchor.start).toEqual(expect.any(String));
		const whole = await comment(carl, id, { body: 'Overall: shorten by a third.' });
		expect(whole.status).toBe(201);
		expect(whole.json.thread).toMatchObject({ quote: null, anchor: null, onDeletedText: false });
		// whole-piece comments first, then by place in the text; the editor may delete Dora's, Carl not
		const list = await threads(editor, id);
		expect(list.map((t) => t.body)).toEqual(['Overall: shorten by a third.', 'Source for this?', 'Which council?']);
		expect(list[1].actions).toEqual({ edit: false, delete: true, resolve: true, reply: true });
		expect((await threads(carl, id))[1].actions).toEqual({ edit: false, delete: false, resolve: true, reply: true });
	});

	it('answers 404 for a piece, or a comment of a piece, the caller may not see', async () => {
		const id = await newPiece('Hidden from Rex');
		const thread = (await comment(editor, id, { body: 'Check the gauge data.' })).json.thread;
		expect((await rex.get(`/api/pieces/${id}/comments`)).status).toBe(404);
		expect((await comment(rex, id, { body: 'Let me in' })).status).toBe(404);
		expect((await rex.patch(`/api/comments/${thread.id}`, { resolved: true })).status).toBe(404);
		expect((await rex.request('DELETE', `/api/comments/${thread.id}`)).status).toBe(404);
		expect((await editor.patch(`/api/comments/no-such-comment`, { resolved: true })).status).toBe(404);
		expect((await new TestClient(galley.url).get(`/api/pieces/${id}/comments`)).status).toBe(401);
	});

	it('refuses bodies and quotes it cannot take (422), and says which', async () => {
		const id = await newPiece('Refusals');
		expect((await comment(carl, id, { body: '   ' })).status).toBe(422);
		const long = await comment(carl, id, { body: 'w'.repeat(5001) });
		expect([long.status, long.json.error.field]).toEqual([422, 'body']);
		expect((await comment(carl, id, { body: `  ${'w'.repeat(5000)}  ` })).status).toBe(201);
		const missing = await comment(carl, id, { body: 'Where?', anchor: { exact: 'the Zambezi delta' } });
		expect([missing.status, missing.json.error.field]).toEqual([422, 'anchor.exact']);
		expect(missing.json.error.message).toMatch(/not in the piece/);
		const ambiguous = await comment(carl, id, { body: 'Which one?', anchor: { exact: 'The river council met' } });
		expect(ambiguous.status).toBe(422);
		expect(ambiguous.json.error.message).toMatch(/2 times/);
		const singled = await comment(carl, id, { body: 'June, really?', anchor: { exact: 'The river council met', prefix: 'in May. ' } });
		expect(singled.status).toBe(201);
		expect(singled.json.thread.anchor).toMatchObject({ exact: 'The river council met', prefix: expect.stringMatching(/in May\. $/), suffix: ' in June.' });
		expect((await comment(carl, id, { body: 'x', parentId: 'no-such-thread' })).status).toBe(422);
		const reply = (await comment(dora, id, { body: 'Agreed.', parentId: singled.json.thread.id })).json.comment;
		expect((await comment(carl, id, { body: 'Nested', parentId: reply.id })).status).toBe(422);
		const other = await newPiece('Another piece');
		expect((await comment(carl, other, { body: 'Across pieces', parentId: singled.json.thread.id })).status).toBe(422);
		expect((await comment(carl, id, { body: 'x', anchor: { exact: '' } })).status).toBe(400);
		expect((await comment(carl, id, { body: 'x', parentId: singled.json.thread.id, anchor: { exact: 'river' } })).status).toBe(400);
		expect((await carl.patch(`/api/comments/${reply.id}`, { body: 'Not mine' })).status).toBe(403);
		expect((await dora.patch(`/api/comments/${reply.id}`, { resolved: true })).status).toBe(422);
	});

	it('replies, edits only one’s own, resolves and reopens for anyone who may comment, deletes one’s own (the editor anyone’s)', async () => {
		const id = await newPiece('Threads');
		const thread = (await comment(dora, id, { body: 'Is “north” right?', anchor: { exact: 'north' } })).json.thread;
		const reply = await comment(carl, id, { body: 'Yes, per the herders.', parentId: thread.id });
		expect(reply.status).toBe(201);
		expect(reply.json.comment).toMatchObject({ parentId: thread.id, body: 'Yes, per the herders.', author: { id: ids.carl }, editedAt: null, actions: { edit: true, delete: true } });
		expect((await dora.patch(`/api/comments/${reply.json.comment.id}`, { body: 'Changed by Dora' })).status).toBe(403);
		const edited = await carl.patch(`/api/comments/${reply.json.comment.id}`, { body: 'Yes, per two herders.' });
		expect(edited.status).toBe(200);
		expect(edited.json.comment).toMatchObject({ body: 'Yes, per two herders.', editedAt: expect.any(String) });
		const resolved = await carl.patch(`/api/comments/${thread.id}`, { resolved: true });
		expect(resolved.json.thread).toMatchObject({ resolved: true, resolvedBy: { id: ids.carl, name: CARL.name }, resolvedAt: expect.any(String) });
		expect((await dora.patch(`/api/comments/${thread.id}`, { resolved: false })).json.thread).toMatchObject({ resolved: false, resolvedBy: null });
		expect((await carl.request('DELETE', `/api/comments/${thread.id}`)).status).toBe(403);
		const second = (await comment(dora, id, { body: 'Another reply', parentId: thread.id })).json.comment;
		expect((await editor.request('DELETE', `/api/comments/${second.id}`)).json).toEqual({ ok: true });
		expect((await threads(carl, id))[0].replies.map((r: { body: string }) => r.body)).toEqual(['Yes, per two herders.']);
		expect((await dora.request('DELETE', `/api/comments/${thread.id}`)).status).toBe(200);
		expect(await threads(carl, id)).toEqual([]);
		expect((await carl.request('DELETE', `/api/comments/${reply.json.comment.id}`)).status).toBe(404);
	});

	it('lets everyone who may see a locked piece comment on it', async () => {
		const id = await newPiece('Approved brief');
		expect((await carl.post(`/api/pieces/${id}/review`, { to: 'in_review' })).status).toBe(200);
		expect((await editor.post(`/api/pieces/${id}/review`, { to: 'approved' })).status).toBe(200);
		expect((await comment(dora, id, { body: 'A typo remains.', anchor: { exact: 'Kariba' } })).status).toBe(201);
	});

	it('notifies the mentioned, the thread’s participants and the piece’s authors, once each, never the writer', async () => {
		const id = await newPiece('Mentions');
		const events = listenToEvents(carl, `?piece=${id}`);
		await events.ready;
		try {
			const thread = (await comment(dora, id, { body: `@${CARL.name} and @${REX.name}: see the gauge at the dam.`, anchor: { exact: 'Kariba dam' } })).json.thread;
			// Rex may not see the piece: no mention of him
			expect(thread.mentions).toEqual([{ id: ids.carl, name: CARL.name }]);
			await vi.waitFor(() => expect(events.events.some((e) => e.type === 'comments' && e.data.pieceId === id)).toBe(true), { timeout: 10_000 });
			// Carl, an author and mentioned: one `mentioned`; the editor created the piece: `commented`
			expect((await notificationsOf(carl, id)).map((n) => n.type)).toEqual(['mentioned']);
			expect((await notificationsOf(carl, id))[0].text).toBe(`${DORA.name} mentioned you in a comment on “Mentions”: “@${CARL.name} and @${REX.name}: see the gauge at the dam.”`);
			expect((await notificationsOf(editor, id)).map((n) => n.type)).toEqual(['commented']);
			expect(await notificationsOf(dora, id)).toEqual([]);
			expect(await notificationsOf(rex, id)).toEqual([]);
			// a reply: the thread's other participants (Dora), not the writer (Carl), nor the editor
			await comment(carl, id, { body: 'Measured in May.', parentId: thread.id });
			expect((await notificationsOf(dora, id)).map((n) => n.type)).toEqual(['replied']);
			expect((await notificationsOf(editor, id)).map((n) => n.type)).toEqual(['commented']);
			// the editor replies mentioning Dora: Dora gets one `mentioned` (not also `replied`); Carl `replied`
			await comment(editor, id, { body: `@${DORA.name} thanks`, parentId: thread.id });
			expect((await notificationsOf(dora, id)).map((n) => n.type).sort()).toEqual(['mentioned', 'replied']);
			expect((await notificationsOf(carl, id)).map((n) => n.type).sort()).toEqual(['mentioned', 'replied']);
		} finally {
			events.stop();
		}
	});

	it('never puts comments in the document body nor in any export', async () => {
		const id = await newPiece('Exports');
		await comment(editor, id, { body: 'SECRET-MARGIN-NOTE <b>not html</b>', anchor: { exact: 'cattle' } });
		for (const format of ['markdown', 'html', 'json']) {
			const res = await editor.get(`/api/pieces/${id}/content?format=${format}`);
			expect(res.status).toBe(200);
			expect(res.text).not.toContain('SECRET-MARGIN-NOTE');
		}
		const client = connectCollab(galley.wsUrl, id, { token: editor.token! }, { presence: false });
		sockets.push(client);
		await client.synced;
		expect(JSON.stringify(client.doc.getXmlFragment(BODY_FRAGMENT).toJSON())).not.toContain('SECRET-MARGIN-NOTE');
		expect((await threads(editor, id))[0].body).toBe('SECRET-MARGIN-NOTE <b>not html</b>');
	});

	it('follows its text through concurrent edits of two clients: text before it, inside it, and its deletion', async () => {
		const id = await newPiece('Anchors on the wire');
		const a = connectCollab(galley.wsUrl, id, { token: editor.token! }, { presence: false });
		const b = connectCollab(galley.wsUrl, id, { token: carl.token! }, { presence: false });
		sockets.push(a, b);
		await Promise.all([a.synced, b.synced]);
		const thread = (await comment(dora, id, { body: 'Which cattle?', anchor: { exact: 'their cattle north' } })).json.thread;
		const other = (await comment(dora, id, { body: 'Name the herders.', anchor: { exact: 'Herders' } })).json.thread;
		const anchorOf = async () => (await threads(editor, id)).find((t) => t.id === thread.id);

		// at the same time: A types before the anchor (same paragraph), B inside it
		const before = textHolding(a.doc, 'Herders moved');
		const inside = textHolding(b.doc, 'cattle north');
		before.type.insert(before.index, 'Many ');
		inside.type.insert(inside.index + 'cattle'.length, ' and goats');
		await vi.waitFor(() => expect(a.ownEditsAcked() && b.ownEditsAcked()).toBe(true), { timeout: 10_000 });
		await vi.waitFor(async () => {
			const now = await anchorOf();
			expect(now.anchor).toMatchObject({ exact: 'their cattle and goats north', prefix: expect.stringMatching(/Many Herders moved $/) });
		}, { timeout: 10_000 });
		// the thread on "Herders": text typed at its start edge stayed out of it
		expect((await threads(editor, id)).find((t) => t.id === other.id).anchor.exact).toBe('Herders');

		// B deletes the anchored text (and more around it): on deleted text, its quote kept, listed last
		const gone = textHolding(b.doc, 'moved their cattle and goats north of');
		gone.type.delete(gone.index, 'moved their cattle and goats north of'.length);
		await vi.waitFor(() => expect(b.ownEditsAcked()).toBe(true), { timeout: 10_000 });
		await vi.waitFor(async () => expect((await anchorOf()).onDeletedText).toBe(true), { timeout: 10_000 });
		const list = await threads(carl, id);
		expect(list.at(-1)).toMatchObject({ id: thread.id, quote: 'their cattle north', onDeletedText: true, body: 'Which cattle?' });
		expect(list[0]).toMatchObject({ id: other.id, onDeletedText: false });
	});
});

