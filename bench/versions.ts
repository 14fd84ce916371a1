// Benchmark of a piece's versions: `npm run -s bench:versions` (tsx bench/versions.ts).
//
// Starts a real Galley (a private copy of build/; npm run build first) on a fresh PGlite folder, and on a
// fresh Postgres database when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server the bench may create
// databases on. Seeds one article of made-up "Basin Watch" text and gives it BENCH_VERSIONS (200) versions,
// as a long-lived piece gets them: between two versions a stock y-websocket client edits the text (a sentence
// typed into a paragraph, a paragraph added now and then), and each version is a review move (submitted,
// changes requested, resubmitted…) or a named one (POST /api/pieces/:id/versions).
// Then measures, after a warm-up, the time from sending to the body's last byte of:
//   GET /api/pieces/:id/versions, and GET /api/pieces/:id/history when that route exists on this build,
//   GET /api/pieces/:id/versions/:oldest/diff?against=current (fewer requests: BENCH_DIFF_REQUESTS, 50),
// and, with the server stopped, the storage per version (bytes of the snapshots) beside the piece's own
// stored state and update log. Prints ONE JSON object on stdout (progress on stderr). Goal: p99 < 200 ms.
//
// Knobs (environment): BENCH_VERSIONS (200), BENCH_REQUESTS (per measurement, 200), BENCH_DIFF_REQUESTS (50),
// BENCH_ONLY (pglite | postgres), BENCH_DATABASE_URL / TEST_DATABASE_URL.
import { eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { num } from './knobs';
import { onEachDatabase } from './databases';
import { copyBuild, must, request, startServer, type Auth } from './pieces/server';
import { pieceText, seeded, sentence } from './pieces/text';
import { percentiles } from './collab/stats';
import { openDatabase } from '../src/lib/server/db/client';
import { documentStates, documentUpdates, pieceVersions } from '../src/lib/server/db/schema';
import { connectCollab, type CollabClient } from '../tests/support/collab-client';
import { BODY_FRAGMENT } from '../src/lib/server/content/document';

const VERSIONS = num('BENCH_VERSIONS', 200);
const REQUESTS = num('BENCH_REQUESTS', 200);
const DIFF_REQUESTS = num('BENCH_DIFF_REQUESTS', 50);
const GOAL_P99_MS = 200;
const PASSWORD = 'bench-password-123';

const progress = (msg: string) => process.stderr.write(`[bench:versions ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The review moves the editor makes in turn (each saves a version), back to a draft now and then. */
const MOVES = ['in_review', 'changes_requested', 'in_review', 'changes_requested', 'in_review', 'draft'] as const;

/** Wait until the server has stored everything `client` sent so far. */
async function stored(client: CollabClient): Promise<void> {
	const frame = client.framesSent();
	const deadline = Date.now() + 60_000;
	while (client.settledFrames() < frame) {
		if (Date.now() > deadline) throw new Error('the server did not store an edit within 60 s');
		await new Promise((r) => setTimeout(r, 10));
	}
}

async function seed(base: string) {
	const rand = seeded(29);
	const setup = await must(base, 'POST', '/api/setup', {}, { email: 'bench-editor@example.org', name: 'Maren Holt', password: PASSWORD });
	const editor: Auth = { token: (await must(base, 'POST', '/api/tokens', { cookie: setup.cookie }, { name: 'bench' })).json.token };
	const created = await must(base, 'POST', '/api/pieces', editor, { kind: 'article', title: 'Basin Watch: a season on the Talmar ferry', text: pieceText(rand, 'article') });
	const pieceId = created.json.piece.id as string;
	const client = connectCollab(base.replace(/^http/, 'ws') + '/collab', pieceId, { token: editor.token }, { presence: false });
	await client.synced;
	const body = client.doc.getXmlFragment(BODY_FRAGMENT);
	progress(`saving ${VERSIONS} versions, the text edited between each two`);
	const started = performance.now();
	let move = 0;
	for (let i = 0; i < VERSIONS; i++) {
		// an edit: a sentence typed into a paragraph, or every fifth time a new paragraph
		if (i % 5 === 4) client.appendParagraph(sentence(rand));
		else {
			const paragraphs = body.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === 'paragraph');
			const text = paragraphs[Math.floor(rand() * paragraphs.length)]?.get(0);
			if (text instanceof Y.XmlText) text.insert(text.length, ' ' + sentence(rand));
		}
		await stored(client);
		if (i % 3 === 2) await must(base, 'POST', `/api/pieces/${pieceId}/versions`, editor, { label: `Draft ${i + 1}` });
		else await must(base, 'POST', `/api/pieces/${pieceId}/review`, editor, { to: MOVES[move++ % MOVES.length], comment: 'Tighten the ferry section.' });
	}
	const seconds = (performance.now() - started) / 1000;
	client.destroy();
	const listed = (await must(base, 'GET', `/api/pieces/${pieceId}/versions`, editor)).json.versions as { id: string }[];
	return { editor, pieceId, seconds, versions: listed.length, oldest: listed[listed.length - 1].id };
}

async function timed(base: string, auth: Auth, url: string, count: number) {
	for (let i = 0; i < Math.min(20, count); i++) await must(base, 'GET', url, auth); // warm-up
	const samples: number[] = [];
	for (let i = 0; i < count; i++) samples.push((await must(base, 'GET', url, auth)).ms);
	return percentiles(samples);
}

async function storage(dataEnv: Record<string, string>, pieceId: string) {
	const handle = await openDatabase({ databaseUrl: dataEnv.DATABASE_URL || null, dataDir: dataEnv.GALLEY_DATA_DIR ?? '' });
	try {
		const { db } = handle;
		const [v] = await db
			.select({ count: sql<number>`count(*)::int`, total: sql<number>`coalesce(sum(octet_length(${pieceVersions.state})), 0)::int`, max: sql<number>`coalesce(max(octet_length(${pieceVersions.state})), 0)::int` })
			.from(pieceVersions)
			.where(eq(pieceVersions.pieceId, pieceId));
		const [s] = await db.select({ bytes: sql<number>`coalesce(sum(octet_length(${documentStates.state})), 0)::int` }).from(documentStates).where(eq(documentStates.pieceId, pieceId));
		const [u] = await db.select({ rows: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(octet_length(${documentUpdates.update})), 0)::int` }).from(documentUpdates).where(eq(documentUpdates.pieceId, pieceId));
		return {
			versions: v.count,
			snapshot_bytes_total: v.total,
			snapshot_bytes_mean: v.count ? Math.round(v.total / v.count) : 0,
			snapshot_bytes_max: v.max,
			piece_state_bytes: s?.bytes ?? 0,
			piece_update_rows: u.rows,
			piece_update_bytes: u.bytes
		};
	} finally {
		await handle.close();
	}
}

async function runTarget(dataEnv: Record<string, string>, dir: string) {
	const app = copyBuild(dir);
	let server = await startServer(app, dataEnv);
	try {
		const s = await seed(server.base);
		progress(`measuring ${REQUESTS} requests per case`);
		const measured: Record<string, ReturnType<typeof percentiles> | string> = {};
		measured.versions = await timed(server.base, s.editor, `/api/pieces/${s.pieceId}/versions`, REQUESTS);
		const history = await request(server.base, 'GET', `/api/pieces/${s.pieceId}/history`, s.editor);
		measured.history = history.status === 200 ? await timed(server.base, s.editor, `/api/pieces/${s.pieceId}/history`, REQUESTS) : `absent on this build (${history.status})`;
		measured.diff_oldest_against_current = await timed(server.base, s.editor, `/api/pieces/${s.pieceId}/versions/${s.oldest}/diff?against=current&format=json`, DIFF_REQUESTS);
		for (const [name, m] of Object.entries(measured)) if (typeof m !== 'string') progress(`  ${name}: p50 ${m.p50} ms, p99 ${m.p99} ms`);
		await server.stop();
		progress('reading the storage of the versions (server stopped)');
		const stored = await storage(dataEnv, s.pieceId);
		const lists = [measured.versions, measured.history].filter((m): m is ReturnType<typeof percentiles> => typeof m !== 'string');
		const worst = Math.max(...lists.map((m) => Number(m.p99)));
		return {
			status: 'ok',
			seeded: { versions: s.versions, seconds: Math.round(s.seconds) },
			measured,
			storage: stored,
			worst_list_p99_ms: worst,
			goal: `p99 < ${GOAL_P99_MS} ms (versions and history lists)`,
			met: worst < GOAL_P99_MS
		};
	} finally {
		await server.stop();
	}
}

async function main() {
	const results = await onEachDatabase('versions', { requests_per_case: REQUESTS }, progress, (kind, dataEnv, dir) => runTarget(dataEnv, dir));
	process.stdout.write(JSON.stringify(results, null, 2) + '\n');
	process.exit(0);
}

main().catch((err) => {
	process.stderr.write(`${err?.stack ?? err}\n`);
	process.exit(1);
});
