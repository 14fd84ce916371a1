// Benchmark of how fast withdrawn access ends a live connection: `npm run -s bench:revocation`
// (tsx bench/revocation.ts). The tests prove that it does (close 4003 when an API token is revoked, 4401 when
// the session signs out); how long it takes, HTTP request and database included, is this figure.
//
// Starts a real Galley (a private copy of build/; npm run build first) on a fresh PGlite folder, and on a
// fresh Postgres database when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server the bench may create
// databases on. Each round: a fresh sign-in and API token, a stock y-websocket client on a piece for each,
// then DELETE /api/tokens/:id and POST /api/auth/logout; measured from sending the request to the client's
// close event. Prints ONE JSON object on stdout (progress on stderr). Goal: p99 < 2 s.
//
// Knobs (environment): BENCH_ROUNDS (30), BENCH_ONLY (pglite | postgres), BENCH_DATABASE_URL / TEST_DATABASE_URL.
import { num } from './knobs';
import { onEachDatabase } from './databases';
import { copyBuild, must, request, startServer, type Auth } from './pieces/server';
import { percentiles } from './collab/stats';
import { connectCollab, type CollabClient } from '../tests/support/collab-client';

const ROUNDS = num('BENCH_ROUNDS', 30);
const GOAL_P99_MS = 2_000;
const EDITOR = { email: 'bench-editor@example.org', name: 'Maren Holt', password: 'bench-password-123' };

const progress = (msg: string) => process.stderr.write(`[bench:revocation ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** Milliseconds from `act` being called to `client`'s first close with `code`. */
async function closedAfter(client: CollabClient, code: number, act: () => Promise<unknown>): Promise<number> {
	const closed = new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no close ${code} within 30 s`)), 30_000);
		client.provider.on('connection-close', (event) => {
			if (event?.code !== code) return;
			clearTimeout(timer);
			resolve(performance.now());
		});
	});
	const t0 = performance.now();
	await act();
	return (await closed) - t0;
}

const percentile99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.99 * xs.length) - 1)] ?? Infinity;

async function measure(base: string) {
	const wsUrl = `${base.replace(/^http/, 'ws')}/collab`;
	const setup = await must(base, 'POST', '/api/setup', {}, EDITOR);
	const owner: Auth = { token: (await must(base, 'POST', '/api/tokens', { cookie: setup.cookie }, { name: 'bench' })).json.token };
	const pieceId = (await must(base, 'POST', '/api/pieces', owner, { kind: 'brief', title: 'Basin Watch: the ferry timetable' })).json.piece.id as string;
	const revoked: number[] = [];
	const signedOut: number[] = [];
	for (let i = 0; i < ROUNDS; i++) {
		const session = await must(base, 'POST', '/api/auth/login', {}, { email: EDITOR.email, password: EDITOR.password });
		const token = (await must(base, 'POST', '/api/tokens', { cookie: session.cookie }, { name: `round ${i}` })).json;
		const byToken = connectCollab(wsUrl, pieceId, { token: token.token }, { presence: false });
		const byCookie = connectCollab(wsUrl, pieceId, { headers: { cookie: session.cookie!, origin: base } }, { presence: false });
		try {
			await Promise.all([byToken.synced, byCookie.synced]);
			revoked.push(await closedAfter(byToken, 4003, () => request(base, 'DELETE', `/api/tokens/${token.id}`, owner)));
			signedOut.push(await closedAfter(byCookie, 4401, () => request(base, 'POST', '/api/auth/logout', { cookie: session.cookie })));
		} finally {
			byToken.destroy();
			byCookie.destroy();
		}
	}
	return { token_revoked_to_close_ms: percentiles(revoked), signed_out_to_close_ms: percentiles(signedOut), goal_met: percentile99(revoked) < GOAL_P99_MS && percentile99(signedOut) < GOAL_P99_MS };
}

const results = await onEachDatabase('revocation', { rounds: ROUNDS, goal_p99_ms: GOAL_P99_MS }, progress, async (kind, dataEnv, dir) => {
	const server = await startServer(copyBuild(dir), dataEnv);
	try {
		progress(`${kind}: ${ROUNDS} rounds`);
		return await measure(server.base);
	} finally {
		await server.stop();
	}
});
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
