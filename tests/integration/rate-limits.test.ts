// Rate limits against a real Galley process: sign-in per address and per account, invite acceptance,
// websocket upgrades; and, with TEST_REDIS_URL and TEST_DATABASE_URL, counts shared by two processes.
// The servers read the client address from X-Forwarded-For (ADDRESS_HEADER), so each test plays its own
// addresses; requests carry no Origin header, like curl.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';
import { EDITOR, TestClient, tokenClient } from '../support/api-client';

const EDITOR_OF_ALL_RUNS = EDITOR;
import { rawSocket } from '../support/collab-client';
import { sleep } from '../support/collab-fixture';
import { describeTwoProcesses } from '../support/two-processes';
import {
	INVITE_ATTEMPTS_PER_ADDRESS,
	LOGIN_FAILURES_BEFORE_SLOWDOWN,
	LOGIN_FAILURES_PER_ADDRESS,
	UPGRADES_PER_ACCOUNT
} from '../../src/lib/server/auth/rate-limits';

const START_TIMEOUT = 120_000;
/** Addresses unique to this run: counts in a shared Redis outlive a run. */
const NET = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const addr = (n: number) => `${NET}.${n}`;
const PROXY_ENV = { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' };

/** A client whose requests come from `address` (as the proxy in front would say). */
class ClientAt extends TestClient {
	constructor(
		base: string,
		readonly address: string
	) {
		super(base);
	}
	override request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
		return super.request(method, path, body, { 'x-forwarded-for': this.address, ...headers });
	}
}

/** A raw upgrade request; resolves with everything the server sent before closing. */
function rawUpgrade(port: number, path: string, headers: Record<string, string>): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1');
		let text = '';
		socket.on('data', (d) => {
			text += d.toString('latin1');
			if (text.startsWith('HTTP/1.1 101')) socket.destroy(); // upgraded: enough
		});
		socket.on('close', () => resolve(text));
		socket.on('error', reject);
		const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='];
		for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
		socket.write(lines.join('\r\n') + '\r\n\r\n');
	});
}

// One process counts in its own memory: the database only holds the accounts, and changes no count (the counts
// shared through Redis, by two processes on Postgres, are the last test). PGlite only.
describe.each(oneDatabaseKind())('rate limits on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let editor: ClientAt;
	let script: TestClient;

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley({ ...serverEnv(database), ...PROXY_ENV });
		editor = new ClientAt(galley.url, addr(1));
		expect((await editor.post('/api/setup', EDITOR)).status).toBe(201);
		script = await tokenClient(editor, 'rate limits');
		// a token client is a plain TestClient: give it an address too
		const withAddress = new ClientAt(galley.url, addr(2));
		withAddress.token = script.token;
		script = withAddress;
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it(`refuses an address with 429 and Retry-After after ${LOGIN_FAILURES_PER_ADDRESS} failed sign-ins on any accounts; other addresses sign in`, async () => {
		const sprayer = new ClientAt(galley.url, addr(10));
		for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
			const res = await sprayer.post('/api/auth/login', { email: `nobody${i}@example.org`, password: 'Password1!' });
			expect(res.status, `attempt ${i + 1}`).toBe(401);
		}
		const limited = await sprayer.post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password });
		expect(limited.status).toBe(429);
		expect(limited.json.error.message).toMatch(/Too many failed sign-in attempts from your network\. Try again in \d+ minutes/);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
		expect(sprayer.cookie).toBeNull();
		expect((await new ClientAt(galley.url, addr(11)).post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
	});

	it(`counts wrong current passwords of a password change as failed sign-ins: a stolen session is refused with 429 after ${LOGIN_FAILURES_PER_ADDRESS}`, async () => {
		const owner = { email: 'pat@example.org', name: 'Pat Password', password: 'the right password', role: 'contributor' };
		expect((await script.post('/api/people', owner)).status).toBe(201);
		const home = new ClientAt(galley.url, addr(32));
		expect((await home.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
		const thief = new ClientAt(galley.url, addr(30));
		expect((await thief.post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
		for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
			const res = await thief.post('/api/me/password', { currentPassword: `guess number ${i}`, newPassword: 'taken over at last' });
			expect(res.status, `guess ${i + 1}`).toBe(403);
		}
		const limited = await thief.post('/api/me/password', { currentPassword: owner.password, newPassword: 'taken over at last' });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		// the password did not change: the owner signs in from home (an address the account knows is not slowed)
		expect((await new ClientAt(galley.url, addr(32)).post('/api/auth/login', { email: owner.email, password: owner.password })).status).toBe(200);
	});

	it('slows an attacked account for new addresses only: the right password from an address that signed in before still succeeds at once', async () => {
		const victim = { email: 'vera@example.org', name: 'Vera Victim', password: 'the right password', role: 'contributor' };
		expect((await script.post('/api/people', victim)).status).toBe(201);
		const home = new ClientAt(galley.url, addr(20));
		expect((await home.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
		// ten attackers, one guess each (no address limit is reached)
		for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) {
			const res = await new ClientAt(galley.url, addr(100 + i)).post('/api/auth/login', { email: victim.email, password: `guess ${i}` });
			expect(res.status).toBe(401);
		}
		// a new address is made to wait, even with the right password (it is not checked)…
		const travelling = new ClientAt(galley.url, addr(21));
		const slowed = await travelling.post('/api/auth/login', { email: victim.email, password: victim.password });
		expect(slowed.status).toBe(429);
		expect(slowed.json.error.message).toMatch(/on this account/);
		const wait = Number(slowed.headers.get('retry-after'));
		expect(wait).toBeGreaterThanOrEqual(1);
		expect(wait).toBeLessThanOrEqual(2);
		// …the victim's own address is not
		const again = new ClientAt(galley.url, addr(20));
		expect((await again.post('/api/auth/login', { email: victim.email.toUpperCase(), password: victim.password })).status).toBe(200);
		// and the new address gets in once the short wait is over
		await sleep(wait * 1000 + 100);
		expect((await travelling.post('/api/auth/login', { email: victim.email, password: victim.password })).status).toBe(200);
	});

	it(`answers the ${INVITE_ATTEMPTS_PER_ADDRESS + 1}th invite acceptance from one address with 429; the invitee's own address accepts`, async () => {
		const invited = await script.post('/api/people', { email: 'ines@example.org', name: 'Ines Invited', role: 'contributor' });
		expect(invited.status).toBe(201);
		const token = new URL(invited.json.inviteUrl).pathname.split('/').pop()!;
		const guesser = new ClientAt(galley.url, addr(30));
		for (let i = 0; i < INVITE_ATTEMPTS_PER_ADDRESS; i++) {
			expect((await guesser.post(`/api/invites/guess-${i}`, { name: 'Mallory', password: 'long enough password' })).status).toBe(404);
		}
		const limited = await guesser.post(`/api/invites/${token}`, { name: 'Mallory', password: 'long enough password' });
		expect(limited.status).toBe(429);
		expect(limited.json.error.message).toMatch(/invite/);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		const invitee = new ClientAt(galley.url, addr(31));
		expect((await invitee.post(`/api/invites/${token}`, { name: 'Ines Invited', password: 'long enough password' })).status).toBe(201);
	});

	it('admits a reconnect storm of one person’s 12 tabs, three times over', async () => {
		const pieceId = (await script.post('/api/pieces', { kind: 'brief', title: 'Storm' })).json.piece.id;
		const url = `${galley.wsUrl}/${pieceId}?token=${script.token}`;
		for (let storm = 0; storm < 3; storm++) {
			const tabs = Array.from({ length: 12 }, () => rawSocket(url, { 'x-forwarded-for': addr(40) }));
			await Promise.all(tabs.map((t) => t.firstMessage));
			for (const t of tabs) t.ws.close();
			await Promise.all(tabs.map((t) => t.ended));
		}
	});

	it(`refuses an account's upgrade past ${UPGRADES_PER_ACCOUNT} a minute with a bare HTTP 429 before upgrading; other accounts connect`, async () => {
		const person = { email: 'ugo@example.org', name: 'Ugo Upgrades', password: 'ugo password 1', role: 'editor' };
		expect((await script.post('/api/people', person)).status).toBe(201);
		const ugo = new ClientAt(galley.url, addr(50));
		expect((await ugo.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
		const pieceId = (await script.post('/api/pieces', { kind: 'brief', title: 'Limited' })).json.piece.id;
		const headers = { cookie: ugo.cookie!, 'x-forwarded-for': addr(50) };
		// authenticated upgrades to a piece that does not exist count too (404 after the limit)
		for (let i = 0; i < UPGRADES_PER_ACCOUNT; i++) {
			const reply = await rawUpgrade(galley.port, `/collab/no-such-piece-${i}`, headers);
			expect(reply.split('\r\n')[0], `upgrade ${i + 1}`).toBe('HTTP/1.1 404 Not Found');
		}
		const refused = await rawUpgrade(galley.port, `/collab/${pieceId}`, headers);
		const [head, body] = refused.split('\r\n\r\n');
		expect(head.split('\r\n')[0]).toBe('HTTP/1.1 429 Too Many Requests');
		expect(Number(/retry-after: (\d+)/i.exec(head)?.[1])).toBeGreaterThan(0);
		expect(body).toBe('');
		// the editor, behind the same address, still connects
		const other = rawSocket(`${galley.wsUrl}/${pieceId}?token=${script.token}`, { 'x-forwarded-for': addr(50) });
		await other.firstMessage;
		other.ws.close();
	});
});

describeTwoProcesses('rate limits shared by two processes through Redis', (galleys) => {
	it('counts failed sign-ins on one process on the other too', async () => {
		const [one, two] = await galleys.start(PROXY_ENV);
		// Counts in a shared Redis outlive a run (15 min): an account of this run's own, as the addresses are.
		const EDITOR = { ...EDITOR_OF_ALL_RUNS, email: `editor.${NET.replaceAll('.', '-')}@example.org` };
		expect((await new ClientAt(one.url, addr(1)).post('/api/setup', EDITOR)).status).toBe(201);
		const attacker = addr(200);
		for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) {
			const server = i % 2 === 0 ? one : two;
			const res = await new ClientAt(server.url, attacker).post('/api/auth/login', { email: `p${i}@example.org`, password: 'Password1!' });
			expect(res.status, `attempt ${i + 1}`).toBe(401);
		}
		// each process saw only 15: alone, neither would refuse
		for (const server of [one, two]) {
			const res = await new ClientAt(server.url, attacker).post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password });
			expect(res.status).toBe(429);
		}
		// an address known to the account on process 1 is known on process 2
		expect((await new ClientAt(one.url, addr(201)).post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
		for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) {
			expect((await new ClientAt(one.url, addr(210 + i)).post('/api/auth/login', { email: EDITOR.email, password: 'wrong' })).status).toBe(401);
		}
		expect((await new ClientAt(two.url, addr(230)).post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(429);
		expect((await new ClientAt(two.url, addr(201)).post('/api/auth/login', { email: EDITOR.email, password: EDITOR.password })).status).toBe(200);
	}, 120_000);
});
