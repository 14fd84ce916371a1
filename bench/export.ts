// Benchmark of exports: `npm run -s bench:export` (tsx bench/export.ts).
//
// Starts a real Galley (a private copy of build/; npm run build first) on a fresh PGlite folder, and on a
// fresh Postgres database when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a server the bench may create
// databases on. Builds the test suite's made-up Basin Watch issue (tests/support/export-issue.ts: five pieces
// of very different lengths, some drafts) through the API, about 37 KB of Markdown like the archived sample,
// then measures, from sending to the body's last byte:
//   GET /api/issues/:id/export?format=markdown  BENCH_REQUESTS times (200) after 20 warm-up requests,
//   GET /api/issues/:id/export?format=pdf       BENCH_PDF_REQUESTS times (10) after one warm-up export
//                                               (Chromium launched and kept warm, as a running server has it).
// Prints ONE JSON object on stdout (progress on stderr). Goals: Markdown p99 < 200 ms, PDF p99 < 5 s.
//
// Knobs (environment): BENCH_REQUESTS (200), BENCH_PDF_REQUESTS (10), BENCH_ONLY (pglite | postgres),
// BENCH_DATABASE_URL / TEST_DATABASE_URL.
import { num } from './knobs';
import { onEachDatabase } from './databases';
import { copyBuild, must, startServer, type Auth } from './pieces/server';
import { percentiles } from './collab/stats';
import { TestClient } from '../tests/support/api-client';
import { buildExportIssue } from '../tests/support/export-issue';

const REQUESTS = num('BENCH_REQUESTS', 200);
const PDF_REQUESTS = num('BENCH_PDF_REQUESTS', 10);
const GOAL_MARKDOWN_P99_MS = 200;
const GOAL_PDF_P99_MS = 5000;
const PASSWORD = 'bench-password-123';

const progress = (msg: string) => process.stderr.write(`[bench:export ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function timed(base: string, auth: Auth, url: string, warmUp: number, count: number) {
	for (let i = 0; i < warmUp; i++) await must(base, 'GET', url, auth);
	const samples: number[] = [];
	for (let i = 0; i < count; i++) samples.push((await must(base, 'GET', url, auth)).ms);
	return percentiles(samples);
}

async function runTarget(dataEnv: Record<string, string>, dir: string) {
	const app = copyBuild(dir);
	const server = await startServer(app, dataEnv);
	try {
		const setup = await must(server.base, 'POST', '/api/setup', {}, { email: 'bench-editor@example.org', name: 'Maren Holt', password: PASSWORD });
		const auth: Auth = { token: (await must(server.base, 'POST', '/api/tokens', { cookie: setup.cookie }, { name: 'bench' })).json.token };
		const client = new TestClient(server.base);
		client.token = auth.token!;
		progress('building the issue through the API');
		const { issueId, pieces } = await buildExportIssue(client);
		const markdownBytes = Buffer.byteLength((await must(server.base, 'GET', `/api/issues/${issueId}/export?format=markdown`, auth)).text);
		progress(`measuring ${REQUESTS} Markdown exports of ${Math.round(markdownBytes / 1024)} KB`);
		const markdown = await timed(server.base, auth, `/api/issues/${issueId}/export?format=markdown`, 20, REQUESTS);
		progress(`  markdown: p50 ${markdown.p50} ms, p99 ${markdown.p99} ms`);
		progress(`measuring ${PDF_REQUESTS} PDF exports (one warm-up)`);
		const pdf = await timed(server.base, auth, `/api/issues/${issueId}/export?format=pdf`, 1, PDF_REQUESTS);
		progress(`  pdf: p50 ${pdf.p50} ms, p99 ${pdf.p99} ms`);
		return {
			status: 'ok',
			issue: { pieces: pieces.length, markdown_bytes: markdownBytes },
			measured: { markdown, pdf },
			goal: `markdown p99 < ${GOAL_MARKDOWN_P99_MS} ms, pdf p99 < ${GOAL_PDF_P99_MS} ms (warm Chromium)`,
			met: { markdown: Number(markdown.p99) < GOAL_MARKDOWN_P99_MS, pdf: Number(pdf.p99) < GOAL_PDF_P99_MS }
		};
	} finally {
		await server.stop();
	}
}

async function main() {
	const results = await onEachDatabase('export', { requests_per_case: { markdown: REQUESTS, pdf: PDF_REQUESTS } }, progress, (_kind, dataEnv, dir) => runTarget(dataEnv, dir));
	process.stdout.write(JSON.stringify(results, null, 2) + '\n');
	process.exit(0);
}

main().catch((err) => {
	process.stderr.write(`${err?.stack ?? err}\n`);
	process.exit(1);
});
