// Benchmark of the archive: `npm run -s bench:archive` (tsx bench/archive.ts).
//
// Makes an archived issue the size of the reference sample (37 KB: BENCH_ARCHIVE_KB) from the suite's two
// made-up Basin Watch issues (tests/fixtures), their pieces repeated with varied titles, written in the
// archive format by issueMarkdown. Then:
//   - import: starts a real Galley (a private copy of build/; npm run build first) on a fresh PGlite folder,
//     and on a fresh Postgres database when BENCH_DATABASE_URL (or TEST_DATABASE_URL) names one, and times
//     POST /api/issues/import of that text (Bearer token) BENCH_IMPORTS times (20), from sending to the
//     answer's last byte, after two warm-up imports; also the dry run. Goal: p99 < 2 s.
//   - markdown: issueMarkdown of that issue (as the assembly hands it over), in this process,
//     BENCH_MARKDOWN_RUNS times (200) after a warm-up. Goal: p99 < 200 ms.
// Prints ONE JSON object on stdout (progress on stderr).
import fs from 'node:fs';
import path from 'node:path';
import { num, ROOT } from './knobs';
import { onEachDatabase } from './databases';
import { copyBuild, startServer, type Auth } from './pieces/server';
import { percentiles } from './collab/stats';
import { parseArchive } from '../src/lib/server/archive/parse';
import { issueMarkdown } from '../src/lib/server/export/markdown';
import type { AssembledIssue } from '../src/lib/server/queries/assembly';

const TARGET_KB = num('BENCH_ARCHIVE_KB', 37);
const IMPORTS = num('BENCH_IMPORTS', 20);
const MARKDOWN_RUNS = num('BENCH_MARKDOWN_RUNS', 200);
const GOAL_IMPORT_P99_MS = 2000;
const GOAL_MARKDOWN_P99_MS = 200;
const PASSWORD = 'bench-password-123';

const progress = (msg: string) => process.stderr.write(`[bench:archive ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** An issue of about TARGET_KB kilobytes, as the assembly would hand it to the export. */
function benchIssue(): AssembledIssue {
	const sources = ['bulletin-issue.txt', 'bulletin-issue-xix-3.txt'].map((f) => parseArchive(fs.readFileSync(path.join(ROOT, 'tests/fixtures', f), 'utf8')));
	const pool = sources.flatMap((s) => s.pieces);
	const first = sources[0];
	const issue: AssembledIssue = { issue: { id: 'bench', ...first.masthead, date: null }, pieces: [] };
	for (let round = 0; issue.pieces.length < 200; round++) {
		for (const p of pool) {
			const title = round === 0 ? p.title : `${p.title}, part ${round + 1}`;
			issue.pieces.push({
				id: `p${issue.pieces.length}`,
				kind: p.kind,
				title,
				reviewState: 'published',
				section: p.section,
				authors: p.authors.map((name) => ({ contributorId: name, name, affiliation: null, bio: p.bios.find((b) => b.name === name)?.text ?? '' })),
				content: p.content
			});
			if (Buffer.byteLength(issueMarkdown(issue)) >= TARGET_KB * 1000) return sorted(issue);
		}
	}
	return sorted(issue);
}

/** The pieces grouped by section, as the board orders them (briefs, articles, interviews). */
function sorted(issue: AssembledIssue): AssembledIssue {
	const order = ['BRIEFS', 'Articles', 'Interview'];
	return { ...issue, pieces: [...issue.pieces].sort((a, b) => order.indexOf(a.section ?? '') - order.indexOf(b.section ?? '')) };
}

async function timedPost(base: string, auth: Auth, p: string, text: string): Promise<{ ms: number; status: number; body: string }> {
	const start = performance.now();
	const res = await fetch(base + p, { method: 'POST', headers: { authorization: `Bearer ${auth.token}`, 'content-type': 'text/plain; charset=utf-8' }, body: text });
	const body = await res.text();
	return { ms: performance.now() - start, status: res.status, body };
}

async function runTarget(text: string, dataEnv: Record<string, string>, dir: string) {
	const app = copyBuild(dir);
	const server = await startServer(app, dataEnv);
	try {
		const base = server.base;
		const setup = await fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-editor@example.org', name: 'Maren Holt', password: PASSWORD }) });
		const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => /galley_session=/.test(c))!;
		const token = (await (await fetch(`${base}/api/tokens`, { method: 'POST', headers: { cookie, origin: base, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }) })).json()).token as string;
		const auth = { token };
		for (let i = 0; i < 2; i++) {
			const warm = await timedPost(base, auth, '/api/issues/import', text);
			if (warm.status !== 201) throw new Error(`import: ${warm.status} ${warm.body.slice(0, 300)}`);
		}
		const dry: number[] = [];
		for (let i = 0; i < IMPORTS; i++) dry.push((await timedPost(base, auth, '/api/issues/import?dryRun=1', text)).ms);
		progress(`importing ${IMPORTS} times`);
		const imports: number[] = [];
		for (let i = 0; i < IMPORTS; i++) {
			const res = await timedPost(base, auth, '/api/issues/import', text);
			if (res.status !== 201) throw new Error(`import: ${res.status} ${res.body.slice(0, 300)}`);
			imports.push(res.ms);
		}
		const p = percentiles(imports);
		return { import_ms: p, dry_run_ms: percentiles(dry), goal_p99_ms: GOAL_IMPORT_P99_MS, met: Number(p.p99 ?? Infinity) < GOAL_IMPORT_P99_MS };
	} finally {
		await server.stop();
	}
}

async function main() {
	const issue = benchIssue();
	const text = issueMarkdown(issue);
	const parsed = parseArchive(text);
	progress(`an issue of ${(Buffer.byteLength(text) / 1000).toFixed(1)} KB, ${parsed.pieces.length} pieces`);
	for (let i = 0; i < 20; i++) issueMarkdown(issue);
	const runs: number[] = [];
	for (let i = 0; i < MARKDOWN_RUNS; i++) {
		const start = performance.now();
		issueMarkdown(issue);
		runs.push(performance.now() - start);
	}
	const markdown = percentiles(runs);
	const results = await onEachDatabase(
		'archive',
		{ issue_bytes: Buffer.byteLength(text), pieces: parsed.pieces.length, imports_per_target: IMPORTS, markdown_ms: markdown, markdown_goal_p99_ms: GOAL_MARKDOWN_P99_MS, markdown_met: Number(markdown.p99 ?? Infinity) < GOAL_MARKDOWN_P99_MS },
		progress,
		(_kind, dataEnv, dir) => runTarget(text, dataEnv, dir)
	);
	process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

main().catch((err) => {
	process.stderr.write(`${err?.stack ?? err}\n`);
	process.exit(1);
});
