// Benchmark of the pieces list at archive scale: `npm run -s bench:pieces` (tsx bench/pieces.ts).
//
// Starts a real Galley (a private copy of build/; npm run build first) on a fresh PGlite folder, and on a
// fresh Postgres database when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server the bench may create
// databases on. Seeds through the API, concurrently: 300 people (POST /api/people) and 10,000 pieces
// (POST /api/pieces with made-up "Basin Watch" text, 100–900 words: briefs and articles with headings;
// interviews without text), a tenth of them created by contributors. Issues, sections, placing and
// assignments are written straight to the database while the server is stopped (their routes are not on
// this branch; with POST /api/issues present the bench says so and still writes them directly): 20 issues
// of 4 sections, 70% of pieces placed, 1–2 assignments per piece with due dates ±60 days (some overdue).
// Then measures, after a warm-up, the time from sending to the body's last byte of:
//   GET /api/pieces — first page, a search, filters, sorts, a deep page — as the editor and as a contributor,
//   GET /pieces (the page's HTML) as the editor (cookie) with a sort and a filter.
// Prints ONE JSON object on stdout (progress on stderr). Goal: p99 < 100 ms on each database.
//
// Knobs (environment): BENCH_PIECES (10000), BENCH_PEOPLE (300), BENCH_REQUESTS (per measurement, 200),
// BENCH_CONCURRENCY (seeding, 8), BENCH_ONLY (pglite | postgres), BENCH_DATABASE_URL / TEST_DATABASE_URL.
import { inArray } from 'drizzle-orm';
import { num } from './knobs';
import { onEachDatabase } from './databases';
import { copyBuild, must, pool, progress, request, startServer, type Auth } from './pieces/server';
import { pieceText, seeded, SEARCHES, title } from './pieces/text';
import { openDatabase } from '../src/lib/server/db/client';
import { assignments, bulletinIssues, pieces, sections } from '../src/lib/server/db/schema';
import { percentiles } from './collab/stats';

const PIECES = num('BENCH_PIECES', 10_000);
const PEOPLE = num('BENCH_PEOPLE', 300);
const REQUESTS = num('BENCH_REQUESTS', 200);
const CONCURRENCY = num('BENCH_CONCURRENCY', 8);
const GOAL_P99_MS = 100;
const CONTRIBUTORS_WHO_WRITE = Math.min(20, PEOPLE);
const PASSWORD = 'bench-password-123';

type Measured = Record<string, ReturnType<typeof percentiles>>;

async function seed(base: string, dataEnv: Record<string, string>) {
	const rand = seeded(13);
	const setup = await must(base, 'POST', '/api/setup', {}, { email: 'bench-editor@example.org', name: 'Maren Holt', password: PASSWORD });
	const editorCookie = setup.cookie!;
	const editor: Auth = { token: (await must(base, 'POST', '/api/tokens', { cookie: editorCookie }, { name: 'bench' })).json.token };
	progress(`creating ${PEOPLE} people`);
	const people: string[] = [];
	await pool(PEOPLE, 4, async (i) => {
		const res = await must(base, 'POST', '/api/people', editor, { email: `bench-person-${i}@example.org`, name: `Contributor ${i}`, role: 'contributor', password: PASSWORD });
		people[i] = res.json.user?.id ?? res.json.person?.id ?? res.json.id;
	});
	const listed = (await must(base, 'GET', '/api/people', editor)).json.people as { id: string; name: string }[];
	const idOf = (i: number) => listed.find((p) => p.name === `Contributor ${i}`)!.id;
	const writers: Auth[] = [];
	for (let i = 0; i < CONTRIBUTORS_WHO_WRITE; i++) {
		const login = await must(base, 'POST', '/api/auth/login', {}, { email: `bench-person-${i}@example.org`, password: PASSWORD });
		writers.push({ token: (await must(base, 'POST', '/api/tokens', { cookie: login.cookie }, { name: 'bench' })).json.token });
	}
	progress(`creating ${PIECES} pieces through the API, ${CONCURRENCY} at a time`);
	const started = performance.now();
	const ids: string[] = [];
	const kinds = ['brief', 'brief', 'article', 'article', 'article', 'brief', 'article', 'brief', 'article', 'interview'] as const;
	await pool(
		PIECES,
		CONCURRENCY,
		async (i) => {
			const kind = kinds[i % kinds.length];
			const by = i % 10 === 3 ? writers[i % CONTRIBUTORS_WHO_WRITE] : editor;
			const body = { kind, title: title(rand, i), ...(kind === 'interview' ? {} : { text: pieceText(rand, kind) }) };
			ids[i] = (await must(base, 'POST', '/api/pieces', by, body)).json.piece.id;
		},
		1000,
		(done) => progress(`  ${done} pieces`)
	);
	const seedSeconds = (performance.now() - started) / 1000;
	const issuesRoute = (await request(base, 'GET', '/api/issues', editor)).status;
	return { editor, editorCookie, contributor: writers[0], contributorId: idOf(0), peopleIds: listed.map((p) => p.id), ids, seedSeconds, issuesRoute, dataEnv };
}

/** Issues, sections, placing and assignments, straight into the database (the server is stopped). */
async function plan(dataEnv: Record<string, string>, ids: string[], peopleIds: string[], contributorId: string) {
	const rand = seeded(7);
	const handle = await openDatabase({ databaseUrl: dataEnv.DATABASE_URL || null, dataDir: dataEnv.GALLEY_DATA_DIR });
	const db = handle.db;
	try {
		const issues = Array.from({ length: 20 }, (_, i) => ({ id: `bench-issue-${i}`, publication: 'Basin Watch', volume: 7 + Math.floor(i / 12), number: (i % 12) + 1 }));
		await db.insert(bulletinIssues).values(issues);
		const secs = issues.flatMap((issue) => ['Briefs', 'Articles', 'Analysis', 'Interview'].map((t, position) => ({ id: `${issue.id}-s${position}`, issueId: issue.id, title: t, position })));
		await db.insert(sections).values(secs);
		for (let i = 0; i < ids.length; i += 500) {
			const chunk = ids.slice(i, i + 500).filter((_, j) => (i + j) % 10 < 7);
			for (const [k, s] of secs.entries()) {
				const mine = chunk.filter((_, j) => j % secs.length === k);
				if (mine.length) await db.update(pieces).set({ issueId: s.issueId, sectionId: s.id }).where(inArray(pieces.id, mine));
			}
		}
		const today = Date.now();
		const rows = ids.flatMap((pieceId, i) =>
			Array.from({ length: 1 + (i % 2) }, (_, k) => ({
				id: `bench-a-${i}-${k}`,
				pieceId,
				userId: i % 25 === 0 && k === 0 ? contributorId : peopleIds[Math.floor(rand() * peopleIds.length)],
				role: (['author', 'reviewer', 'viewer'] as const)[k % 3],
				dueOn: new Date(today + Math.round((rand() * 120 - 60) * 86_400_000)).toISOString().slice(0, 10)
			}))
		);
		for (let i = 0; i < rows.length; i += 1000) await db.insert(assignments).values(rows.slice(i, i + 1000));
		await db.update(pieces).set({ reviewState: 'in_review' }).where(inArray(pieces.id, ids.filter((_, i) => i % 7 === 0)));
		await db.update(pieces).set({ reviewState: 'approved' }).where(inArray(pieces.id, ids.filter((_, i) => i % 11 === 0)));
		return { issues: issues.length, sections: secs.length, assignments: rows.length };
	} finally {
		await handle.close();
	}
}

async function measure(base: string, s: Awaited<ReturnType<typeof seed>>): Promise<Measured> {
	const cases: [string, Auth, (i: number) => string][] = [
		['editor first page', s.editor, () => '/api/pieces'],
		['editor search', s.editor, (i) => `/api/pieces?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}`],
		['editor filter issue+state', s.editor, (i) => `/api/pieces?issue=bench-issue-${i % 20}&state=draft`],
		['editor filter unplaced', s.editor, () => '/api/pieces?issue=none'],
		['editor filter overdue', s.editor, () => '/api/pieces?overdue=1'],
		['editor filter assignee', s.editor, (i) => `/api/pieces?assignee=${s.peopleIds[i % s.peopleIds.length]}`],
		['editor sort title', s.editor, () => '/api/pieces?sort=title'],
		['editor sort due', s.editor, () => '/api/pieces?sort=due'],
		['editor sort words, deep page', s.editor, () => '/api/pieces?sort=words&order=asc&offset=5000&limit=100'],
		['editor search + sort + filter', s.editor, (i) => `/api/pieces?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}&kind=article&sort=updated&order=asc`],
		['contributor first page', s.contributor, () => '/api/pieces'],
		['contributor search', s.contributor, (i) => `/api/pieces?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}`],
		['contributor filter overdue', s.contributor, () => '/api/pieces?overdue=1'],
		['editor board (350 pieces)', s.editor, (i) => `/api/issues/bench-issue-${i % 20}`],
		['contributor board', s.contributor, (i) => `/api/issues/bench-issue-${i % 20}`],
		['board page HTML editor', { cookie: s.editorCookie }, (i) => `/issues/bench-issue-${i % 20}`],
		['page HTML editor', { cookie: s.editorCookie }, () => '/pieces'],
		['page HTML editor search + sort', { cookie: s.editorCookie }, (i) => `/pieces?q=${encodeURIComponent(SEARCHES[i % SEARCHES.length])}&sort=title`]
	];
	const out: Measured = {};
	for (const [name, auth, url] of cases) {
		for (let i = 0; i < 20; i++) await must(base, 'GET', url(i), auth); // warm-up
		const samples: number[] = [];
		let total: number | null = null;
		for (let i = 0; i < REQUESTS; i++) {
			const res = await must(base, 'GET', url(i), auth);
			samples.push(res.ms);
			total ??= res.json?.total ?? null;
		}
		out[name] = { ...percentiles(samples), ...(total !== null ? { total_first: total } : {}) } as ReturnType<typeof percentiles>;
		progress(`  ${name}: p50 ${out[name].p50} ms, p99 ${out[name].p99} ms`);
	}
	return out;
}

async function runTarget(name: string, dataEnv: Record<string, string>, dir: string) {
	const app = copyBuild(dir);
	let server = await startServer(app, dataEnv);
	try {
		const s = await seed(server.base, dataEnv);
		const port = Number(new URL(server.base).port);
		await server.stop();
		progress('writing issues, sections, placing and assignments to the database (server stopped)');
		const planned = await plan(dataEnv, s.ids, s.peopleIds, s.contributorId);
		server = await startServer(app, dataEnv, port);
		progress(`measuring ${REQUESTS} requests per case`);
		const measured = await measure(server.base, s);
		const worst = Math.max(...Object.values(measured).map((m) => Number(m.p99)));
		return {
			status: 'ok',
			seeded: { pieces: PIECES, people: PEOPLE + 1, seconds: Math.round(s.seedSeconds), pieces_per_second: Math.round(PIECES / s.seedSeconds), ...planned, issues_route: s.issuesRoute === 404 ? 'absent (rows written directly)' : `present (${s.issuesRoute}); rows written directly all the same` },
			measured,
			worst_p99_ms: worst,
			goal: `p99 < ${GOAL_P99_MS} ms`,
			met: worst < GOAL_P99_MS
		};
	} finally {
		await server.stop();
	}
}

async function main() {
	const results = await onEachDatabase('pieces', { requests_per_case: REQUESTS }, progress, (kind, dataEnv, dir) => runTarget(kind, dataEnv, dir));
	process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

main().catch((err) => {
	progress(`failed: ${String(err)}`);
	process.exit(1);
});
