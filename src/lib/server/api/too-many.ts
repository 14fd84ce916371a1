import { apiError } from './http';
import { retryAfterSeconds, type Limited } from '../auth/rate-limits';

const MESSAGES: Record<Limited['reason'], string> = {
	address: 'Too many failed sign-in attempts from your network.',
	account: 'Too many failed sign-in attempts on this account: each attempt from a new place must wait a little.',
	invite: 'Too many attempts to accept an invite from your network.',
	upgrade: 'Too many connections.'
};

/** 429 in the API's error shape, with Retry-After in seconds and the wait spelled out. */
export function tooManyRequests(limited: Limited): Response {
	const seconds = retryAfterSeconds(limited.retryAfterMs);
	const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
	const res = apiError(429, `${MESSAGES[limited.reason]} Try again in ${wait}.`);
	res.headers.set('retry-after', String(seconds));
	return res;
}
