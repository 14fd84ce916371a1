// People against a real Galley process: invites (one open per e-mail, revoked, accepted once even when four
// accepts race), accounts created at once by concurrent requests, password changes, reset links, roles,
// removal (sign-ins and live connections end at once), and the audit list of all of it. One server per
// database kind for the whole file.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, setUpEditor, tokenClient } from '../support/api-client';
import { connectCollab, type CollabClient } from '../support/collab-client';
import { CLOSE } from '../../src/lib/domain/collab';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

describe.each(databaseKinds())('people on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: TestClient; // the browser: session cookie and the app's Origin
	let script: TestClient; // the editor's API token, no Origin, like curl
	const clients: CollabClient[] = [];

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		editor = await setUpEditor(galley.url);
		script = await tokenClient(editor, 'people script');
	}, START_TIMEOUT);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		await galley?.stop();
		await database?.drop();
	});

	let n = 0;
	/** A fresh address and name for each person a test makes. */
	const person = (label: string) => {
		n++;
		return { email: `${label}.${n}@example.org`, name: `${label[0].toUpperCase()}${label.slice(1)} ${n}`, password: `${label} password ${n}!` };
	};

	/** An account made by the editor (with a password), and a client signed in as it. */
	async function member(label: string, role: 'contributor' | 'editor' = 'contributor') {
		const p = person(label);
		const res = await script.post('/api/people', { ...p, role });
		expect(res.status).toBe(201);
		const client = await signIn(p.email, p.password);
		return { ...p, id: res.json.user.id as string, client };
	}

	async function signIn(email: string, password: string): Promise<TestClient> {
		const client = new TestClient(galley.url);
		const res = await client.post('/api/auth/login', { email, password });
		expect(res.status, `sign-in of ${email}`).toBe(200);
		return client;
	}

	const tokenOf = (inviteUrl: string) => new URL(inviteUrl).pathname.split('/').pop()!;
	const statusOfLogin = async (email: string, password: string) => (await new TestClient(galley.url).post('/api/auth/login', { email, password })).status;
	const del = (client: TestClient, path: string) => client.request('DELETE', path);
	const connect = (pieceId: string, auth: { token?: string; headers?: Record<string, string> }) => {
		const c = connectCollab(galley.wsUrl, pieceId, auth, { presence: false });
		clients.push(c);
		return c;
	};
	const auditOf = async (email: string) => {
		const res = await script.get('/api/people/audit');
		expect(res.status).toBe(200);
		return (res.json.events as { action: string; subject: { email: string }; actor: { name: string } | null; detail: unknown }[]).filter((e) => e.subject.email === email);
	};

	describe('invites', () => {
		it('accepts one invite once when four accepts race: exactly one 201, the others 409, one account', async () => {
			const p = person('racer');
			const invited = await script.post('/api/people', { email: p.email, name: p.name, role: 'contributor' });
			expect(invited.status).toBe(201);
			const token = tokenOf(invited.json.inviteUrl);
			const results = await Promise.all(
				[0, 1, 2, 3].map((i) => new TestClient(galley.url).post(`/api/invites/${token}`, { name: `${p.name} (${i})`, password: p.password }))
			);
			const statuses = results.map((r) => r.status).sort();
			expect(statuses).toEqual([201, 409, 409, 409]);
			for (const r of results.filter((r) => r.status === 409)) expect(r.json.error.message).toMatch(/already used/);
			const people = (await script.get('/api/people')).json.people.filter((u: { email: string }) => u.email === p.email);
			expect(people).toHaveLength(1);
			// a later accept is refused the same way, and the link says it was used
			expect((await new TestClient(galley.url).post(`/api/invites/${token}`, { name: p.name, password: p.password })).status).toBe(409);
			const look = await new TestClient(galley.url).get(`/api/invites/${token}`);
			expect(look.status).toBe(404);
			expect(look.json.error.message).toMatch(/already used/);
		});

		it('creates one account when concurrent POST /api/people name one e-mail: one 201, the others 409 naming `email`, never 500', async () => {
			const p = person('twin');
			const results = await Promise.all([0, 1, 2, 3].map(() => script.post('/api/people', { ...p, role: 'contributor' })));
			const statuses = results.map((r) => r.status).sort();
			expect(statuses).toEqual([201, 409, 409, 409]);
			for (const r of results.filter((r) => r.status === 409)) {
				expect(r.json.error.field).toBe('email');
				expect(r.json.error.message).toMatch(/already has an account/);
			}
			expect((await script.get('/api/people')).json.people.filter((u: { email: string }) => u.email === p.email)).toHaveLength(1);
		});

		it('keeps one open invite per e-mail: a new invite replaces the old, whose link then says it was revoked', async () => {
			const p = person('newcomer');
			const first = await script.post('/api/people', { email: p.email, name: p.name, role: 'contributor' });
			const second = await script.post('/api/people', { email: p.email.toUpperCase(), name: p.name, role: 'editor' });
			expect([first.status, second.status]).toEqual([201, 201]);
			const open = (await script.get('/api/people')).json.invites.filter((i: { email: string }) => i.email === p.email);
			expect(open).toHaveLength(1);
			expect(open[0].role).toBe('editor');
			const old = await new TestClient(galley.url).get(`/api/invites/${tokenOf(first.json.inviteUrl)}`);
			expect(old.status).toBe(404);
			expect(old.json.error.message).toMatch(/revoked/);
			expect((await new TestClient(galley.url).post(`/api/invites/${tokenOf(first.json.inviteUrl)}`, { name: p.name, password: p.password })).status).toBe(404);
			// the new one works, and joining closes it: no open invite is left for the address
			const joined = await new TestClient(galley.url).post(`/api/invites/${tokenOf(second.json.inviteUrl)}`, { name: p.name, password: p.password });
			expect(joined.status).toBe(201);
			expect(joined.json.user.role).toBe('editor');
			expect((await script.get('/api/people')).json.invites.filter((i: { email: string }) => i.email === p.email)).toEqual([]);
			expect((await auditOf(p.email)).map((e) => e.action)).toEqual(['joined', 'invited', 'invite_replaced', 'invited']);
		});

		it('leaves several concurrent invites for one e-mail with exactly one open invite and one working link', async () => {
			const p = person('popular');
			const results = await Promise.all([0, 1, 2, 3].map(() => script.post('/api/people', { email: p.email, name: p.name, role: 'contributor' })));
			expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
			expect((await script.get('/api/people')).json.invites.filter((i: { email: string }) => i.email === p.email)).toHaveLength(1);
			const looks = await Promise.all(results.map((r) => new TestClient(galley.url).get(`/api/invites/${tokenOf(r.json.inviteUrl)}`)));
			expect(looks.map((l) => l.status).sort()).toEqual([200, 404, 404, 404]);
		});

		it('closes the open invite of an e-mail when the editor creates its account with a password', async () => {
			const p = person('direct');
			const invited = await script.post('/api/people', { email: p.email, name: p.name, role: 'contributor' });
			expect((await script.post('/api/people', { ...p, role: 'contributor' })).status).toBe(201);
			expect((await script.get('/api/people')).json.invites.filter((i: { email: string }) => i.email === p.email)).toEqual([]);
			const accept = await new TestClient(galley.url).post(`/api/invites/${tokenOf(invited.json.inviteUrl)}`, { name: p.name, password: p.password });
			expect(accept.status).toBe(409);
		});

		it('refuses to invite an e-mail that already has an account with 409 naming `email`', async () => {
			const res = await script.post('/api/people', { email: EDITOR.email, name: 'Someone', role: 'contributor' });
			expect(res.status).toBe(409);
			expect(res.json.error.field).toBe('email');
		});

		it('revokes an open invite: it leaves the list, its link says it was revoked, accepting it fails; only the editor may', async () => {
			const p = person('revoked');
			const invited = await script.post('/api/people', { email: p.email, name: p.name, role: 'contributor' });
			const id = (await script.get('/api/people')).json.invites.find((i: { email: string }) => i.email === p.email).id;
			const outsider = await member('outsider');
			expect((await del(outsider.client, `/api/people/invites/${id}`)).status).toBe(403);
			expect((await del(script, `/api/people/invites/${id}`)).status).toBe(200);
			expect((await del(script, `/api/people/invites/${id}`)).status).toBe(404);
			expect((await script.get('/api/people')).json.invites.filter((i: { email: string }) => i.email === p.email)).toEqual([]);
			const look = await new TestClient(galley.url).get(`/api/invites/${tokenOf(invited.json.inviteUrl)}`);
			expect(look.status).toBe(404);
			expect(look.json.error.message).toMatch(/revoked/);
			const page = await fetch(invited.json.inviteUrl);
			expect(await page.text()).toMatch(/This invite was revoked/);
			expect((await new TestClient(galley.url).post(`/api/invites/${tokenOf(invited.json.inviteUrl)}`, { name: p.name, password: p.password })).status).toBe(404);
			expect((await auditOf(p.email)).map((e) => e.action)).toEqual(['invite_revoked', 'invited']);
		});
	});

	describe('passwords', () => {
		it('changes one’s own password: a wrong current one is 403 naming `currentPassword`; other sessions end, this one stays', async () => {
			const m = await member('changer');
			const elsewhere = await signIn(m.email, m.password);
			const wrong = await m.client.post('/api/me/password', { currentPassword: 'not my password', newPassword: 'a brand new password' });
			expect(wrong.status).toBe(403);
			expect(wrong.json.error.field).toBe('currentPassword');
			const short = await m.client.post('/api/me/password', { currentPassword: m.password, newPassword: 'short' });
			expect(short.status).toBe(400);
			expect(short.json.error.field).toBe('newPassword');
			expect((await elsewhere.get('/api/me')).status).toBe(200); // nothing changed so far

			const changed = await m.client.post('/api/me/password', { currentPassword: m.password, newPassword: 'a brand new password' });
			expect(changed.status).toBe(200);
			expect(changed.json.sessionsEnded).toBe(1);
			expect((await m.client.get('/api/me')).status).toBe(200);
			expect((await elsewhere.get('/api/me')).status).toBe(401);
			expect(await statusOfLogin(m.email, m.password)).toBe(401);
			expect(await statusOfLogin(m.email, 'a brand new password')).toBe(200);
			expect((await auditOf(m.email)).map((e) => e.action)).toContain('password_changed');
		});

		it('changes the password with a Bearer token and no Origin: every session ends, and their live connections close with 4003', async () => {
			const m = await member('scripted');
			const bearer = await tokenClient(m.client, 'own script');
			const piece = await m.client.post('/api/pieces', { kind: 'brief', title: 'Open while the password changes' });
			const live = connect(piece.json.piece.id, { headers: { cookie: m.client.cookie! } });
			await live.synced;
			const res = await bearer.post('/api/me/password', { currentPassword: m.password, newPassword: 'changed by a script' });
			expect(res.status).toBe(200);
			expect(res.json.sessionsEnded).toBe(1);
			await vi.waitFor(() => expect(live.closes[0]?.code).toBe(CLOSE.FORBIDDEN), { timeout: 10_000 });
			expect((await m.client.get('/api/me')).status).toBe(401);
			expect((await bearer.get('/api/me')).status).toBe(200); // API tokens stay
		});

		it('issues a one-time reset link: using it sets the password and ends every session; a second use fails; a newer link voids the older', async () => {
			const m = await member('forgetful');
			const live = connect((await m.client.post('/api/pieces', { kind: 'brief', title: 'Open during the reset' })).json.piece.id, { headers: { cookie: m.client.cookie! } });
			await live.synced;
			expect((await m.client.post(`/api/people/${m.id}/reset-link`)).status).toBe(403); // only the editor

			const older = await script.post(`/api/people/${m.id}/reset-link`);
			expect(older.status).toBe(201);
			expect(older.json.url).toMatch(/\/reset\/[a-z0-9]+$/);
			const hours = (new Date(older.json.expiresAt).getTime() - Date.now()) / 3600_000;
			expect(hours).toBeGreaterThan(23.9);
			expect(hours).toBeLessThanOrEqual(24);
			const newer = await script.post(`/api/people/${m.id}/reset-link`);
			const olderToken = tokenOf(older.json.url);
			const newerToken = tokenOf(newer.json.url);
			const stale = await new TestClient(galley.url).post(`/api/password-resets/${olderToken}`, { newPassword: 'from the older link' });
			expect(stale.status).toBe(404);
			expect(stale.json.error.message).toMatch(/replaced/);

			expect((await new TestClient(galley.url).get(`/api/password-resets/${newerToken}`)).json).toEqual({ email: m.email, name: m.name });
			const browser = new TestClient(galley.url);
			const used = await browser.post(`/api/password-resets/${newerToken}`, { newPassword: 'set with the link' });
			expect(used.status).toBe(200);
			expect(used.json.user.email).toBe(m.email);
			expect((await browser.get('/api/me')).status).toBe(200); // signed in by the reset
			expect((await m.client.get('/api/me')).status).toBe(401);
			await vi.waitFor(() => expect(live.closes[0]?.code).toBe(CLOSE.FORBIDDEN), { timeout: 10_000 });
			expect(await statusOfLogin(m.email, m.password)).toBe(401);
			expect(await statusOfLogin(m.email, 'set with the link')).toBe(200);

			const again = await new TestClient(galley.url).post(`/api/password-resets/${newerToken}`, { newPassword: 'a second use of it' });
			expect(again.status).toBe(409);
			expect(again.json.error.message).toMatch(/already used/);
			expect(await statusOfLogin(m.email, 'a second use of it')).toBe(401);
			expect((await auditOf(m.email)).map((e) => e.action).slice(0, 3)).toEqual(['reset_link_used', 'reset_link_issued', 'reset_link_issued']);
		});

		it('uses a reset link once when two uses race: one 200, one 409', async () => {
			const m = await member('racing-reset');
			const link = await script.post(`/api/people/${m.id}/reset-link`);
			const token = tokenOf(link.json.url);
			const results = await Promise.all(['first racer wins', 'second racer wins'].map((pw) => new TestClient(galley.url).post(`/api/password-resets/${token}`, { newPassword: pw })));
			expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
		});
	});

	describe('roles', () => {
		it('lets the editor change a role (Bearer, no Origin); others get 403; bad roles 400', async () => {
			const m = await member('promoted');
			expect((await m.client.patch(`/api/people/${m.id}`, { role: 'editor' })).status).toBe(403);
			const bad = await script.patch(`/api/people/${m.id}`, { role: 'owner' });
			expect(bad.status).toBe(400);
			expect(bad.json.error.field).toBe('role');
			const res = await script.patch(`/api/people/${m.id}`, { role: 'editor' });
			expect(res.status).toBe(200);
			expect(res.json.user).toMatchObject({ id: m.id, role: 'editor' });
			expect((await m.client.get('/api/me')).json.user.role).toBe('editor');
			expect((await script.patch('/api/people/no-such-person', { role: 'editor' })).status).toBe(404);
			const audit = await auditOf(m.email);
			expect(audit[0]).toMatchObject({ action: 'role_changed', actor: { name: EDITOR.name }, detail: { from: 'contributor', to: 'editor' } });
		});

		it('refuses to let the last editor step down with 409, and lets them once there is another editor', async () => {
			// everyone else the earlier tests made an editor is a contributor again first
			const people = (await script.get('/api/people')).json.people as { id: string; role: string; email: string }[];
			for (const p of people.filter((p) => p.role === 'editor' && p.email !== EDITOR.email)) {
				expect((await script.patch(`/api/people/${p.id}`, { role: 'contributor' })).status).toBe(200);
			}
			const me = (await editor.get('/api/me')).json.user;
			const refused = await editor.patch(`/api/people/${me.id}`, { role: 'contributor' });
			expect(refused.status).toBe(409);
			expect(refused.json.error.message).toMatch(/at least one editor/);
			expect((await editor.get('/api/me')).json.user.role).toBe('editor');

			const second = await member('second-editor', 'editor');
			const stepDown = await editor.patch(`/api/people/${me.id}`, { role: 'contributor' });
			expect(stepDown.status).toBe(200);
			// and back, by the other editor
			expect((await second.client.patch(`/api/people/${me.id}`, { role: 'editor' })).status).toBe(200);
		});

		it('closes the live connections of a person whose role changed with 4001, and they reconnect with the new rights', async () => {
			const m = await member('demoted', 'editor');
			const editorsPiece = (await script.post('/api/pieces', { kind: 'brief', title: 'Seen by editors only' })).json.piece.id;
			const live = connect(editorsPiece, { headers: { cookie: m.client.cookie! } });
			await live.synced;
			expect((await script.patch(`/api/people/${m.id}`, { role: 'contributor' })).status).toBe(200);
			await vi.waitFor(() => expect(live.closes[0]?.code).toBe(CLOSE.RIGHTS_CHANGED), { timeout: 10_000 });
			// as a contributor the piece is not theirs: the reconnection is refused
			expect((await m.client.get(`/api/pieces/${editorsPiece}`)).status).toBe(404);
			await vi.waitFor(() => expect(live.closes.length).toBeGreaterThanOrEqual(3), { timeout: 10_000 }); // tried again, refused
			expect(live.provider.wsconnected).toBe(false);
		});
	});

	describe('removal', () => {
		it('removes a person at once: sessions, tokens and live connections end; they cannot sign in; their pieces and profile stay', async () => {
			const m = await member('leaver');
			const bearer = await tokenClient(m.client, 'leaver script');
			const piece = await m.client.post('/api/pieces', { kind: 'article', title: 'Written before leaving' });
			const pieceId = piece.json.piece.id;
			const byCookie = connect(pieceId, { headers: { cookie: m.client.cookie! } });
			const byToken = connect(pieceId, { token: bearer.token! });
			const bystander = connect(pieceId, { token: script.token! });
			await Promise.all([byCookie.synced, byToken.synced, bystander.synced]);

			expect((await del(m.client, `/api/people/${EDITOR.email}`)).status).toBe(403); // not an editor
			expect((await del(script, `/api/people/${m.id}`)).status).toBe(200);
			await vi.waitFor(() => {
				expect(byCookie.closes[0]?.code).toBe(CLOSE.FORBIDDEN);
				expect(byToken.closes[0]?.code).toBe(CLOSE.FORBIDDEN);
			}, { timeout: 10_000 });
			expect(bystander.closes).toEqual([]);

			expect((await m.client.get('/api/me')).status).toBe(401);
			expect((await bearer.get('/api/me')).status).toBe(401);
			expect(await statusOfLogin(m.email, m.password)).toBe(401);
			expect((await script.get('/api/people')).json.people.map((p: { id: string }) => p.id)).not.toContain(m.id);
			expect((await script.get(`/api/pieces/${pieceId}`)).json.piece).toMatchObject({ title: 'Written before leaving', createdBy: m.id });
			const profiles = (await script.get('/api/contributors')).json.contributors as { userId: string | null; name: string }[];
			expect(profiles.find((c) => c.userId === m.id)?.name).toBe(m.name);
			expect((await del(script, `/api/people/${m.id}`)).status).toBe(404); // removed already
			expect((await script.post(`/api/people/${m.id}/reset-link`)).status).toBe(404);
			expect((await auditOf(m.email))[0]).toMatchObject({ action: 'removed', actor: { name: EDITOR.name } });
		});

		it('lets the editor invite a removed person again: accepting restores their account, with their pieces', async () => {
			const m = await member('returner');
			const piece = await m.client.post('/api/pieces', { kind: 'brief', title: 'Written before a mistaken removal' });
			const pieceId = piece.json.piece.id;
			expect((await del(script, `/api/people/${m.id}`)).status).toBe(200);
			expect(await statusOfLogin(m.email, m.password)).toBe(401);

			const invited = await script.post('/api/people', { email: m.email, name: m.name, role: 'contributor' });
			expect(invited.status).toBe(201);
			const token = tokenOf(invited.json.inviteUrl);
			expect((await new TestClient(galley.url).get(`/api/invites/${token}`)).status).toBe(200);
			const back = new TestClient(galley.url);
			const accepted = await back.post(`/api/invites/${token}`, { name: m.name, password: 'a new password for me' });
			expect(accepted.status).toBe(201);
			expect(accepted.json.user.id).toBe(m.id); // the same account
			expect(await statusOfLogin(m.email, m.password)).toBe(401); // the old password is gone
			expect((await back.get(`/api/pieces/${pieceId}`)).status).toBe(200);
			expect((await script.get('/api/people')).json.people.map((p: { id: string }) => p.id)).toContain(m.id);
			// and an address with an account that can sign in is still refused
			expect((await script.post('/api/people', { email: m.email, name: m.name, role: 'contributor' })).status).toBe(409);
		});

		it('does not let the editor remove themselves (403)', async () => {
			const me = (await editor.get('/api/me')).json.user;
			const res = await del(editor, `/api/people/${me.id}`);
			expect(res.status).toBe(403);
			expect(res.json.error.message).toMatch(/yourself/);
			expect((await editor.get('/api/me')).status).toBe(200);
		});
	});

	describe('audit', () => {
		it('lists what was done to people newest first, for the editor only', async () => {
			const m = await member('audited');
			expect((await m.client.get('/api/people/audit')).status).toBe(403);
			await script.post(`/api/people/${m.id}/reset-link`);
			await script.patch(`/api/people/${m.id}`, { role: 'editor' });
			const res = await script.get('/api/people/audit');
			expect(res.status).toBe(200);
			const events = res.json.events as { id: number; at: string; action: string; actor: { id: string; name: string } | null; subject: { userId: string | null; email: string; name: string } }[];
			const ids = events.map((e) => e.id);
			expect(ids).toEqual([...ids].sort((a, b) => b - a));
			expect(events.slice(0, 3).map((e) => [e.action, e.subject.email, e.actor?.name])).toEqual([
				['role_changed', m.email, EDITOR.name],
				['reset_link_issued', m.email, EDITOR.name],
				['account_created', m.email, EDITOR.name]
			]);
			expect(new Date(events[0].at).getTime()).toBeGreaterThan(Date.now() - 60_000);
		});
	});
});
