import { sequence } from '@sveltejs/kit/hooks';
import { json, type Handle, type HandleServerError } from '@sveltejs/kit';
import { galley } from '$lib/server/runtime';
import { authenticate, sessionCookieName } from '$lib/server/auth/sessions';
import { setSessionCookie } from '$lib/server/api/session-cookie';
import { isAllowedOrigin } from '$lib/server/origin';
import { bodyLimit } from '$lib/server/api/body-limit';
import { logger } from '$lib/server/log';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Who is asking: Bearer token or session cookie (`__Host-galley_session` on https, `galley_session` on http;
 * only that one). A session whose expiry this request pushed forward gets its cookie renewed to match.
 */
const session: Handle = async ({ event, resolve }) => {
	const { db, config } = await galley();
	const cookieName = sessionCookieName(config.secureCookies);
	const sessionToken = event.cookies.get(cookieName) ?? null;
	event.locals.sessionToken = sessionToken;
	const actor = await authenticate(db, {
		authorization: event.request.headers.get('authorization'),
		cookie: event.request.headers.get('cookie'),
		sessionCookie: cookieName
	});
	if (actor?.renewedUntil && sessionToken) setSessionCookie(event.cookies, sessionToken, actor.renewedUntil, config.secureCookies);
	if (actor) delete actor.renewedUntil;
	event.locals.actor = actor;
	return resolve(event);
};

/**
 * CSRF, replacing SvelteKit's built-in check (which also refuses Bearer scripts): an unsafe request with a
 * foreign Origin is refused; one without an Origin is refused only when it carries the session cookie.
 * Bearer-authenticated requests carry no ambient credential and pass.
 */
const csrf: Handle = async ({ event, resolve }) => {
	if (!UNSAFE.has(event.request.method)) return resolve(event);
	if (event.locals.actor?.via === 'token') return resolve(event);
	const origin = event.request.headers.get('origin');
	const { config } = await galley();
	const hasCookie = event.cookies.get(sessionCookieName(config.secureCookies)) !== undefined;
	const sameOrigin = isAllowedOrigin(origin, event.request.headers.get('host'), config.origin);
	if ((origin && !sameOrigin) || (!origin && hasCookie)) {
		return json(
			{ error: { message: 'Cross-site request refused: send requests from the Galley app itself, or use a Bearer token.' } },
			{ status: 403 }
		);
	}
	return resolve(event);
};

/** Every request, once answered: method, route id (the route's file path; null when no route matched), status and time taken. */
const requestLog: Handle = async ({ event, resolve }) => {
	const started = performance.now();
	let status = 500;
	try {
		const response = await resolve(event);
		status = response.status;
		return response;
	} finally {
		const ms = Math.round((performance.now() - started) * 10) / 10;
		logger.info({ method: event.request.method, route: event.route.id, status, ms }, 'request');
	}
};

/** Baseline security headers for every response. */
const headers: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	response.headers.set('x-content-type-options', 'nosniff');
	response.headers.set('referrer-policy', 'same-origin');
	if (!response.headers.has('x-frame-options')) response.headers.set('x-frame-options', 'DENY');
	return response;
};

// `requestLog` first, to time and see every answer; `headers` next, so that it also covers the answers the
// other hooks make themselves.
export const handle = sequence(requestLog, headers, bodyLimit, session, csrf);

/** An error no route expected (SvelteKit answers 500, or 404 for a path no route has): logged with its stack. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return;
	logger.error({ err: error, method: event.request.method, route: event.route.id, status }, message);
};
