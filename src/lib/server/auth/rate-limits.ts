import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { logger, type Logger } from '../log';

/**
 * Every rate limit of Galley, in one place: sign-in, invite acceptance, websocket upgrades. The counts live
 * in Redis when REDIS_URL is set (shared by every process, with an in-memory limiter as insurance while Redis
 * is unreachable), else in this process's memory. The numbers are documented in docs/api.md, "Rate limits".
 */

/** Failed sign-ins counted per client address (any account) in LOGIN_WINDOW_S; past it, 429 until the window ends. */
export const LOGIN_FAILURES_PER_ADDRESS = 30;
/** Failed sign-ins on one account (from any address) after which the account is slowed. */
export const LOGIN_FAILURES_BEFORE_SLOWDOWN = 10;
export const LOGIN_WINDOW_S = 15 * 60;
/**
 * While an account is slowed, an address that has not signed in to it before must wait after each failure:
 * 1 s after the 10th failure, then 2, 4, 8, 16 s, then at most this long. Addresses that have signed in to
 * it are never slowed, so an attacker cannot keep the real user out.
 */
export const LOGIN_SLOWDOWN_MAX_S = 30;
/** How long a successful sign-in makes its address "known" to the account. */
export const KNOWN_ADDRESS_DAYS = 90;
/** Invite acceptance attempts (POST /api/invites/:token) per client address. */
export const INVITE_ATTEMPTS_PER_ADDRESS = 10;
export const INVITE_WINDOW_S = 15 * 60;
/**
 * Websocket upgrades that passed authentication, per account and per client address, in UPGRADE_WINDOW_S.
 * One person with a dozen tabs reconnecting at once after a restart uses a dozen; a newsroom behind one
 * NAT address shares the per-address budget.
 */
export const UPGRADES_PER_ACCOUNT = 120;
export const UPGRADES_PER_ADDRESS = 600;
export const UPGRADE_WINDOW_S = 60;

/** A refusal: how long until trying again makes sense. */
export interface Limited {
	retryAfterMs: number;
	reason: 'address' | 'account' | 'invite' | 'upgrade';
}

export interface RateLimitsOptions {
	/** An ioredis client for the counts (shared by every process); null: this process's memory. */
	redis?: Redis | null;
	/** Key prefix in Redis (tests use their own). */
	keyPrefix?: string;
	/** false: nothing is limited (GALLEY_RATE_LIMITS=off, for benchmarks and load tests). */
	enabled?: boolean;
	/** adapter-node's ADDRESS_HEADER and XFF_DEPTH, for the websocket upgrade's client address. */
	addressHeader?: string | null;
	xffDepth?: number;
}

type Limiter = RateLimiterAbstract;

export class RateLimits {
	private readonly enabled: boolean;
	private readonly addressHeader: string | null;
	private readonly xffDepth: number;
	/** Failed passwords per address (reserved before the password is checked, given back when it was right). */
	private loginAddress: Limiter;
	/** Failed passwords per account. */
	private loginAccount: Limiter;
	/** Failed passwords per account and address: what a success from that address forgives. */
	private loginPair: Limiter;
	/** The slowed account's gate for unknown addresses: one attempt at a time, closed for a while after a failure. */
	private loginGate: Limiter;
	/** Addresses that have signed in to an account. */
	private knownAddresses: KnownAddresses;
	private invite: Limiter;
	private upgradeAccount: Limiter;
	private upgradeAddress: Limiter;

	constructor(opts: RateLimitsOptions = {}) {
		this.enabled = opts.enabled ?? true;
		this.addressHeader = opts.addressHeader?.toLowerCase() || null;
		this.xffDepth = opts.xffDepth ?? 1;
		const prefix = opts.keyPrefix ?? 'galley:rl';
		const make = (name: string, points: number, duration: number): Limiter => {
			const options = { keyPrefix: `${prefix}:${name}`, points, duration };
			if (!opts.redis) return new RateLimiterMemory(options);
			return new RateLimiterRedis({
				...options,
				storeClient: opts.redis,
				rejectIfRedisNotReady: true,
				// While Redis is unreachable, each process limits on its own rather than not at all.
				insuranceLimiter: new RateLimiterMemory(options)
			});
		};
		const counter = 1_000_000; // limiters used only to count: their own limit is never reached
		this.loginAddress = make('login-address', LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_S);
		this.loginAccount = make('login-account', counter, LOGIN_WINDOW_S);
		this.loginPair = make('login-pair', counter, LOGIN_WINDOW_S);
		this.loginGate = make('login-gate', 1, 1);
		this.knownAddresses = new KnownAddresses(opts.redis ?? null, `${prefix}:login-known`);
		this.invite = make('invite', INVITE_ATTEMPTS_PER_ADDRESS, INVITE_WINDOW_S);
		this.upgradeAccount = make('upgrade-account', UPGRADES_PER_ACCOUNT, UPGRADE_WINDOW_S);
		this.upgradeAddress = make('upgrade-address', UPGRADES_PER_ADDRESS, UPGRADE_WINDOW_S);
	}

	/**
	 * Before checking a password: may `address` try to sign in to `email` now? Reserves one failure on the
	 * address (given back by loginSucceeded). Refused: 429 without checking the password.
	 */
	async loginAttempt(address: string, email: string): Promise<Limited | null> {
		if (!this.enabled) return null;
		const account = accountKey(email);
		const reserved = await take(this.loginAddress, address);
		if (reserved) return { retryAfterMs: reserved.msBeforeNext, reason: 'address' };
		const failures = (await this.loginAccount.get(account))?.consumedPoints ?? 0;
		if (failures >= LOGIN_FAILURES_BEFORE_SLOWDOWN && !(await this.isKnown(account, address))) {
			const closed = await take(this.loginGate, account);
			if (closed) {
				// no password was tried: the address keeps its budget
				await this.giveBack(this.loginAddress, address, 1);
				return { retryAfterMs: Math.max(closed.msBeforeNext, 1000), reason: 'account' };
			}
		}
		return null;
	}

	/** After a wrong password (or an unknown e-mail). */
	async loginFailed(address: string, email: string): Promise<void> {
		if (!this.enabled) return;
		const account = accountKey(email);
		await this.loginPair.penalty(pairKey(account, address), 1);
		const failures = (await this.loginAccount.penalty(account, 1)).consumedPoints;
		if (failures >= LOGIN_FAILURES_BEFORE_SLOWDOWN) await this.loginGate.block(account, slowdownSeconds(failures));
	}

	/**
	 * After the right password: this address's failures on this account are forgiven (on the address and on
	 * the account), and the address becomes known to the account.
	 */
	async loginSucceeded(address: string, email: string): Promise<void> {
		if (!this.enabled) return;
		const account = accountKey(email);
		const pair = pairKey(account, address);
		const ownFailures = (await this.loginPair.get(pair))?.consumedPoints ?? 0;
		await this.loginPair.delete(pair);
		await this.giveBack(this.loginAddress, address, 1 + ownFailures);
		await this.giveBack(this.loginAccount, account, ownFailures);
		await this.knownAddresses.add(pair);
	}

	/** One invite acceptance attempt from `address`. */
	async inviteAttempt(address: string): Promise<Limited | null> {
		if (!this.enabled) return null;
		const refused = await take(this.invite, address);
		return refused ? { retryAfterMs: refused.msBeforeNext, reason: 'invite' } : null;
	}

	/** One authenticated websocket upgrade by `accountId` from `address`. */
	async upgradeAttempt(address: string, accountId: string): Promise<Limited | null> {
		if (!this.enabled) return null;
		const byAccount = await take(this.upgradeAccount, accountId);
		if (byAccount) return { retryAfterMs: byAccount.msBeforeNext, reason: 'upgrade' };
		const byAddress = await take(this.upgradeAddress, address);
		if (byAddress) {
			await this.giveBack(this.upgradeAccount, accountId, 1);
			return { retryAfterMs: byAddress.msBeforeNext, reason: 'upgrade' };
		}
		return null;
	}

	/**
	 * For the websocket server, before it upgrades an authenticated request: counts the upgrade and, past a
	 * limit, answers HTTP 429 (a status line and headers, no body) and returns true.
	 */
	async refuseUpgrade(req: IncomingMessage, socket: Duplex, accountId: string): Promise<boolean> {
		const limited = await this.upgradeAttempt(this.clientAddress(req), accountId);
		if (!limited) return false;
		if (!socket.destroyed) {
			socket.end(
				`HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${retryAfterSeconds(limited.retryAfterMs)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`
			);
		}
		return true;
	}

	/**
	 * The client address of a raw request, as adapter-node's getClientAddress() sees it: the ADDRESS_HEADER
	 * (for X-Forwarded-For the XFF_DEPTH-th address from the right, the one your proxy appended), else the
	 * socket's remote address. Like adapter-node, a configured header that is missing is an error.
	 */
	clientAddress(req: IncomingMessage): string {
		if (this.addressHeader) {
			const value = req.headers[this.addressHeader];
			if (value === undefined) throw new Error(`ADDRESS_HEADER is ${this.addressHeader} but the request has none`);
			const text = Array.isArray(value) ? value.join(',') : value;
			if (this.addressHeader !== 'x-forwarded-for') return text;
			const addresses = text.split(',');
			if (this.xffDepth > addresses.length) throw new Error(`XFF_DEPTH is ${this.xffDepth}, but only found ${addresses.length} addresses`);
			return addresses[addresses.length - this.xffDepth].trim();
		}
		return req.socket.remoteAddress ?? 'unknown';
	}

	private isKnown(account: string, address: string): Promise<boolean> {
		return this.knownAddresses.has(pairKey(account, address));
	}

	/** Give back up to `points`, never below zero (a reward past zero would grant extra attempts). */
	private async giveBack(limiter: Limiter, key: string, points: number): Promise<void> {
		const current = (await limiter.get(key))?.consumedPoints ?? 0;
		const back = Math.min(points, current);
		if (back > 0) await limiter.reward(key, back);
	}
}

/**
 * The (account, address) pairs that signed in within KNOWN_ADDRESS_DAYS: a set, not a rate limit (and
 * rate-limiter-flexible's memory store cannot keep a key past Node's 24.8-day timer limit). In Redis when
 * given, with this process's memory as the fallback while Redis fails.
 */
class KnownAddresses {
	private memory = new Map<string, number>();
	private readonly ttlMs = KNOWN_ADDRESS_DAYS * 24 * 3600 * 1000;

	constructor(
		private redis: Redis | null,
		private prefix: string
	) {}

	async add(key: string): Promise<void> {
		this.memory.set(key, Date.now() + this.ttlMs);
		if (this.memory.size > 100_000) this.prune();
		await this.redis?.set(`${this.prefix}:${key}`, '1', 'PX', this.ttlMs).catch(() => {});
	}

	async has(key: string): Promise<boolean> {
		if (this.redis) {
			try {
				return (await this.redis.exists(`${this.prefix}:${key}`)) === 1;
			} catch {
				/* Redis unreachable: what this process saw */
			}
		}
		const until = this.memory.get(key);
		return until !== undefined && until > Date.now();
	}

	private prune() {
		const now = Date.now();
		for (const [key, until] of this.memory) if (until <= now) this.memory.delete(key);
	}
}

/** Consume one point; the refusal when there was none left. Store errors (with no insurance) propagate. */
async function take(limiter: Limiter, key: string): Promise<RateLimiterRes | null> {
	try {
		await limiter.consume(key, 1);
		return null;
	} catch (err) {
		if (err instanceof RateLimiterRes) return err;
		throw err;
	}
}

function accountKey(email: string): string {
	return email.trim().toLowerCase();
}

function pairKey(account: string, address: string): string {
	return `${account}|${address}`;
}

/** Seconds an unknown address waits after the account's `failures`-th failure (failures ≥ the threshold). */
export function slowdownSeconds(failures: number): number {
	const beyond = failures - LOGIN_FAILURES_BEFORE_SLOWDOWN;
	return Math.min(LOGIN_SLOWDOWN_MAX_S, 2 ** Math.min(beyond, 10));
}

export function retryAfterSeconds(ms: number): number {
	return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The rate limits of this process, from its configuration: in Redis when REDIS_URL is set (one client for
 * every limiter, without an offline queue, so a Redis outage falls back to the in-memory insurance at once
 * instead of holding sign-ins; the relay's clients queue while offline, which suits relaying, not this).
 */
export function createRateLimits(
	config: { redisUrl: string | null; rateLimits: boolean; addressHeader: string | null; xffDepth: number },
	log: Logger = logger
): { limits: RateLimits; close(): Promise<void>; ready(): Promise<void> } {
	const redis = config.redisUrl && config.rateLimits ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
	redis?.on('error', (err) => log.warn({ err }, 'redis error (rate limits)'));
	const limits = new RateLimits({ redis, enabled: config.rateLimits, addressHeader: config.addressHeader, xffDepth: config.xffDepth });
	return {
		limits,
		/** Wait (at most 5 s) for Redis to be ready; until then the in-memory insurance counts. */
		async ready() {
			if (!redis || redis.status === 'ready') return;
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 5_000);
				redis.once('ready', () => {
					clearTimeout(timer);
					resolve();
				});
			});
		},
		async close() {
			await redis?.quit().catch(() => {});
		}
	};
}
