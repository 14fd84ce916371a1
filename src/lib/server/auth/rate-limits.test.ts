// The rate limits' logic, in memory with a fake clock; the sharing through Redis when TEST_REDIS_URL is set.
import type { IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import {
	INVITE_ATTEMPTS_PER_ADDRESS,
	LOGIN_FAILURES_BEFORE_SLOWDOWN,
	LOGIN_FAILURES_PER_ADDRESS,
	LOGIN_SLOWDOWN_MAX_S,
	LOGIN_WINDOW_S,
	RateLimits,
	UPGRADES_PER_ACCOUNT,
	UPGRADES_PER_ADDRESS,
	UPGRADE_WINDOW_S,
	slowdownSeconds
} from './rate-limits';

const VICTIM = 'victim@example.org';
const HOME = '198.51.100.7'; // where the victim signs in from

/** A failed sign-in as the route makes it: the attempt (must be allowed), then the failure. */
async function fail(limits: RateLimits, address: string, email: string) {
	const limited = await limits.loginAttempt(address, email);
	if (limited) throw new Error(`attempt from ${address} on ${email} was refused: ${JSON.stringify(limited)}`);
	await limits.loginFailed(address, email);
}

async function succeed(limits: RateLimits, address: string, email: string) {
	const limited = await limits.loginAttempt(address, email);
	if (limited) throw new Error(`attempt from ${address} on ${email} was refused: ${JSON.stringify(limited)}`);
	await limits.loginSucceeded(address, email);
}

describe('rate limits (memory)', () => {
	let limits: RateLimits;
	beforeEach(() => {
		vi.useFakeTimers({ now: new Date('2027-03-01T09:00:00Z') });
		limits = new RateLimits();
	});
	afterEach(() => vi.useRealTimers());

	describe('sign-in per address', () => {
		it(`refuses an address after ${LOGIN_FAILURES_PER_ADDRESS} failures on any accounts (spraying), with the wait until the window ends; other addresses go on`, async () => {
			for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS; i++) await fail(limits, '203.0.113.9', `person${i}@example.org`);
			const limited = await limits.loginAttempt('203.0.113.9', 'someone-else@example.org');
			expect(limited?.reason).toBe('address');
			expect(limited!.retryAfterMs).toBeGreaterThan((LOGIN_WINDOW_S - 5) * 1000);
			expect(await limits.loginAttempt('203.0.113.10', 'someone-else@example.org')).toBeNull();
			vi.advanceTimersByTime(LOGIN_WINDOW_S * 1000 + 1);
			expect(await limits.loginAttempt('203.0.113.9', 'someone-else@example.org')).toBeNull();
		});

		it('forgives, on a successful sign-in, the failures that address made on that account only', async () => {
			const office = '192.0.2.44';
			for (let i = 0; i < 5; i++) await fail(limits, office, VICTIM); // the victim mistypes
			for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS - 10; i++) await fail(limits, office, `other${i}@example.org`);
			await succeed(limits, office, VICTIM); // 25 failures → 20
			for (let i = 0; i < 10; i++) await fail(limits, office, `more${i}@example.org`);
			expect((await limits.loginAttempt(office, 'x@example.org'))?.reason).toBe('address');
		});

		it('does not let an attacker wipe its spraying count by signing in to its own account', async () => {
			const attacker = '203.0.113.66';
			for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS - 1; i++) await fail(limits, attacker, `target${i}@example.org`);
			await succeed(limits, attacker, 'attacker@example.org');
			await fail(limits, attacker, 'target-last@example.org');
			expect((await limits.loginAttempt(attacker, 'another@example.org'))?.reason).toBe('address');
		});
	});

	describe('sign-in per account', () => {
		it(`slows an account after ${LOGIN_FAILURES_BEFORE_SLOWDOWN} failures from anywhere: an unknown address waits a short, growing delay`, async () => {
			for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) await fail(limits, `203.0.113.${i}`, VICTIM);
			const first = await limits.loginAttempt('203.0.113.200', VICTIM);
			expect(first?.reason).toBe('account');
			expect(first!.retryAfterMs).toBeLessThanOrEqual(1000);
			vi.advanceTimersByTime(1001);
			await fail(limits, '203.0.113.200', VICTIM); // the 11th failure: 2 s
			vi.advanceTimersByTime(1500);
			expect((await limits.loginAttempt('203.0.113.201', VICTIM))?.reason).toBe('account');
			vi.advanceTimersByTime(501);
			await fail(limits, '203.0.113.201', VICTIM); // the 12th: 4 s
			vi.advanceTimersByTime(3500);
			expect((await limits.loginAttempt('203.0.113.202', VICTIM))?.reason).toBe('account');
			vi.advanceTimersByTime(501);
			expect(await limits.loginAttempt('203.0.113.202', VICTIM)).toBeNull();
		});

		it('never slows an address that has signed in to the account before: the attacker cannot lock the real user out', async () => {
			await succeed(limits, HOME, VICTIM);
			for (let i = 0; i < 60; i++) {
				await fail(limits, `203.0.113.${i}`, VICTIM);
				vi.advanceTimersByTime(slowdownSeconds(LOGIN_FAILURES_BEFORE_SLOWDOWN + i) * 1000 + 1);
			}
			await fail(limits, '203.0.113.250', VICTIM); // the gate is closed for unknown addresses now…
			expect((await limits.loginAttempt('203.0.113.251', VICTIM))?.reason).toBe('account');
			expect(await limits.loginAttempt(HOME, VICTIM)).toBeNull(); // …but not for the victim's own
			await limits.loginSucceeded(HOME, VICTIM);
		});

		it(`keeps the wait for an unknown address under ${LOGIN_SLOWDOWN_MAX_S} s however long the attack goes on`, async () => {
			for (let i = 0; i < 20; i++) {
				await fail(limits, `203.0.113.${i}`, VICTIM);
				vi.advanceTimersByTime(slowdownSeconds(LOGIN_FAILURES_BEFORE_SLOWDOWN + i) * 1000 + 1);
			}
			await fail(limits, '203.0.113.99', VICTIM);
			const limited = await limits.loginAttempt('198.51.100.200', VICTIM);
			expect(limited?.reason).toBe('account');
			expect(limited!.retryAfterMs).toBeLessThanOrEqual(LOGIN_SLOWDOWN_MAX_S * 1000);
			vi.advanceTimersByTime(LOGIN_SLOWDOWN_MAX_S * 1000 + 1);
			expect(await limits.loginAttempt('198.51.100.200', VICTIM)).toBeNull(); // the right password would now be checked
		});

		it('lets one unknown address through the open gate at a time (parallel guesses are refused)', async () => {
			for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) await fail(limits, `203.0.113.${i}`, VICTIM);
			vi.advanceTimersByTime(1001);
			const results = await Promise.all(Array.from({ length: 5 }, (_, i) => limits.loginAttempt(`203.0.113.${100 + i}`, VICTIM)));
			expect(results.filter((r) => r === null)).toHaveLength(1);
		});

		it('does not count a refused attempt against the address (no password was tried)', async () => {
			for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) await fail(limits, `203.0.113.${i}`, VICTIM);
			for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS + 5; i++) expect((await limits.loginAttempt('198.51.100.99', VICTIM))?.reason).toBe('account');
			vi.advanceTimersByTime(1001);
			expect(await limits.loginAttempt('198.51.100.99', VICTIM)).toBeNull();
		});

		it('treats the e-mail case-insensitively', async () => {
			for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) await fail(limits, `203.0.113.${i}`, i % 2 ? VICTIM.toUpperCase() : VICTIM);
			expect((await limits.loginAttempt('203.0.113.200', ` ${VICTIM.toUpperCase()}`))?.reason).toBe('account');
		});

		it('grows the delay 1, 2, 4, 8, 16 s and caps it', () => {
			const n = LOGIN_FAILURES_BEFORE_SLOWDOWN;
			expect([n, n + 1, n + 2, n + 3, n + 4, n + 5, n + 50].map(slowdownSeconds)).toEqual([1, 2, 4, 8, 16, LOGIN_SLOWDOWN_MAX_S, LOGIN_SLOWDOWN_MAX_S]);
		});
	});

	describe('invites', () => {
		it(`refuses the ${INVITE_ATTEMPTS_PER_ADDRESS + 1}th acceptance attempt from one address`, async () => {
			for (let i = 0; i < INVITE_ATTEMPTS_PER_ADDRESS; i++) expect(await limits.inviteAttempt('203.0.113.5')).toBeNull();
			expect((await limits.inviteAttempt('203.0.113.5'))?.reason).toBe('invite');
			expect(await limits.inviteAttempt('203.0.113.6')).toBeNull();
		});
	});

	describe('websocket upgrades', () => {
		it('admits a reconnect storm of one person with 12 tabs, five times in a minute', async () => {
			for (let storm = 0; storm < 5; storm++) {
				const results = await Promise.all(Array.from({ length: 12 }, () => limits.upgradeAttempt(HOME, 'user-1')));
				expect(results.every((r) => r === null)).toBe(true);
				vi.advanceTimersByTime(5_000);
			}
		});

		it(`refuses an account past ${UPGRADES_PER_ACCOUNT} upgrades a minute, not the others behind the same address`, async () => {
			for (let i = 0; i < UPGRADES_PER_ACCOUNT; i++) expect(await limits.upgradeAttempt(HOME, 'user-1')).toBeNull();
			const limited = await limits.upgradeAttempt(HOME, 'user-1');
			expect(limited?.reason).toBe('upgrade');
			expect(limited!.retryAfterMs).toBeLessThanOrEqual(UPGRADE_WINDOW_S * 1000);
			expect(await limits.upgradeAttempt(HOME, 'user-2')).toBeNull();
			vi.advanceTimersByTime(UPGRADE_WINDOW_S * 1000 + 1);
			expect(await limits.upgradeAttempt(HOME, 'user-1')).toBeNull();
		});

		it(`refuses an address past ${UPGRADES_PER_ADDRESS} upgrades a minute, across accounts`, async () => {
			for (let i = 0; i < UPGRADES_PER_ADDRESS; i++) expect(await limits.upgradeAttempt(HOME, `user-${i % 10}`)).toBeNull();
			expect((await limits.upgradeAttempt(HOME, 'user-new'))?.reason).toBe('upgrade');
			expect(await limits.upgradeAttempt('198.51.100.8', 'user-new')).toBeNull(); // user-new's refused upgrade was given back
		});
	});

	it('limits nothing when turned off', async () => {
		const off = new RateLimits({ enabled: false });
		for (let i = 0; i < 100; i++) {
			expect(await off.loginAttempt('203.0.113.1', VICTIM)).toBeNull();
			await off.loginFailed('203.0.113.1', VICTIM);
			expect(await off.inviteAttempt('203.0.113.1')).toBeNull();
		}
		for (let i = 0; i < UPGRADES_PER_ACCOUNT + 1; i++) expect(await off.upgradeAttempt('203.0.113.1', 'u')).toBeNull();
	});
});

describe('the client address of an upgrade', () => {
	const req = (headers: Record<string, string>, remoteAddress = '10.0.0.2') => ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

	it('is the socket’s address without ADDRESS_HEADER (a spoofed X-Forwarded-For is ignored)', () => {
		expect(new RateLimits().clientAddress(req({ 'x-forwarded-for': '1.2.3.4' }))).toBe('10.0.0.2');
	});

	it('is the XFF_DEPTH-th address from the right of X-Forwarded-For, like adapter-node', () => {
		const r = req({ 'x-forwarded-for': '1.2.3.4, 198.51.100.3, 10.0.0.1' });
		expect(new RateLimits({ addressHeader: 'X-Forwarded-For' }).clientAddress(r)).toBe('10.0.0.1');
		expect(new RateLimits({ addressHeader: 'x-forwarded-for', xffDepth: 2 }).clientAddress(r)).toBe('198.51.100.3');
		expect(() => new RateLimits({ addressHeader: 'x-forwarded-for', xffDepth: 4 }).clientAddress(r)).toThrow(/XFF_DEPTH/);
	});

	it('is another header’s value as is, and an error when that header is missing', () => {
		const limits = new RateLimits({ addressHeader: 'true-client-ip' });
		expect(limits.clientAddress(req({ 'true-client-ip': '198.51.100.4' }))).toBe('198.51.100.4');
		expect(() => limits.clientAddress(req({}))).toThrow(/ADDRESS_HEADER/);
	});
});

describe.skipIf(!process.env.TEST_REDIS_URL)('rate limits in Redis', () => {
	const clients: Redis[] = [];
	const client = () => {
		const c = new Redis(process.env.TEST_REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
		clients.push(c);
		return c;
	};
	const ready = (c: Redis) => new Promise<void>((resolve) => (c.status === 'ready' ? resolve() : c.once('ready', () => resolve())));
	afterEach(async () => {
		await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => {})));
	});

	it('shares the counts between two processes’ limiters (each with its own client)', async () => {
		const keyPrefix = `galley-test:${crypto.randomUUID()}`;
		const [a, b] = [client(), client()];
		await Promise.all([ready(a), ready(b)]);
		const one = new RateLimits({ redis: a, keyPrefix });
		const two = new RateLimits({ redis: b, keyPrefix });
		for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS / 2; i++) {
			await fail(one, '203.0.113.1', `p${i}@example.org`);
			await fail(two, '203.0.113.1', `q${i}@example.org`);
		}
		expect((await one.loginAttempt('203.0.113.1', 'x@example.org'))?.reason).toBe('address');
		expect((await two.loginAttempt('203.0.113.1', 'x@example.org'))?.reason).toBe('address');
		// known addresses are shared too
		await succeed(one, '198.51.100.1', VICTIM);
		for (let i = 0; i < LOGIN_FAILURES_BEFORE_SLOWDOWN; i++) await fail(two, `203.0.113.${10 + i}`, VICTIM);
		expect((await two.loginAttempt('203.0.113.99', VICTIM))?.reason).toBe('account');
		expect(await two.loginAttempt('198.51.100.1', VICTIM)).toBeNull();
	});

	it('still limits, in memory, while Redis is unreachable', async () => {
		const dead = new Redis('redis://127.0.0.1:1', { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
		dead.on('error', () => {});
		clients.push(dead);
		const limits = new RateLimits({ redis: dead, keyPrefix: `galley-test:${crypto.randomUUID()}` });
		for (let i = 0; i < INVITE_ATTEMPTS_PER_ADDRESS; i++) expect(await limits.inviteAttempt('203.0.113.5')).toBeNull();
		expect((await limits.inviteAttempt('203.0.113.5'))?.reason).toBe('invite');
	});
});
