// Developer aid: the pieces list's and the board's queries timed in-process (and, with EXPLAIN=1, each SQL
// statement they send with EXPLAIN ANALYZE) on a PGlite database seeded directly like bench/pieces.ts:
// BENCH_PIECES pieces (10,000), 300 people, 20 issues of 4 sections with 70% of pieces placed, 1–2
// assignments per piece due ±60 days. `npx tsx bench/pieces/explain.ts`.
// Knobs: EXPLAIN_DIR (keep the seeded database there and reuse it: seeding takes a minute or two),
// DATABASE_URL (a Postgres database to seed once and reuse instead), EXPLAIN_CASES (a substring of the case
// names to run), EXPLAIN=1 (plans of the matching cases, PGlite only), EXPLAIN_TIMES=1 (each statement's time).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inArray, sql } from 'drizzle-orm';
import { embeddedClient, openDatabase } from '../../src/lib/server/db/client';
import { assignments, bulletinIssues, pieces, sections, users } from '../../src/lib/server/db/schema';
import { listPieces } from '../../src/lib/server/queries/piece-list';
import { getBoard } from '../../src/lib/server/queries/issues';
import { pieceMetrics } from '../../src/lib/server/content/metrics';
import { contentFromPlainText } from '../../src/lib/server/content/plain-text';
import { num, ROOT } from '../knobs';
import { pieceText, seeded, SEARCHES, title } from './text';

const N = num('BENCH_PIECES', 10_000);
const PEOPLE = 300;
const keep = process.env.EXPLAIN_DIR?.trim();
const dir = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'galley-explain-'));
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL || null, dataDir: dir });
await handle.migrate(path.join(ROOT, 'migrations'));
const db = handle.db;
const fresh = (await db.select({ id: pieces.id }).from(pieces).limit(1)).length === 0;
const people = Array.from({ length: PEOPLE }, (_, i) => `u${i}`);

if (fresh) {
	const rand = seeded(1);
	await db.insert(users).values({ id: 'ed', email: 'ed@example.org', name: 'Ed', role: 'editor', passwordHash: 'x', color: '#1d4ed8' } as never);
	await db.insert(users).values(people.map((id) => ({ id, email: `${id}@example.org`, name: `Contributor ${id}`, role: 'contributor', passwordHash: 'x', color: '#1d4ed8' })) as never);
	const kinds = ['brief', 'brief', 'article', 'article', 'article', 'brief', 'article', 'brief', 'article', 'interview'] as const;
	for (let i = 0; i < N; i += 500) {
		const rows = Array.from({ length: Math.min(500, N - i) }, (_, j) => {
			const kind = kinds[(i + j) % kinds.length];
			const m = kind === 'interview' ? { wordCount: 0, bodyText: '' } : pieceMetrics(contentFromPlainText(pieceText(rand, kind)));
			// one second apart, as when created one after the other through the API
			const at = new Date(Date.now() - (N - i - j) * 1000);
			return { id: `p${i + j}`, kind, title: title(rand, i + j), createdBy: (i + j) % 10 === 3 ? people[(i + j) % 20] : 'ed', wordCount: m.wordCount, bodyText: m.bodyText, metricsVersion: 1, createdAt: at, updatedAt: at } as const;
		});
		await db.insert(pieces).values(rows);
	}
	// as bench/pieces.ts plans them
	const ids = Array.from({ length: N }, (_, i) => `p${i}`);
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
	const r = seeded(7);
	const today = Date.now();
	const rows = ids.flatMap((pieceId, i) =>
		Array.from({ length: 1 + (i % 2) }, (_, k) => ({
			id: `a-${i}-${k}`,
			pieceId,
			userId: i % 25 === 0 && k === 0 ? people[0] : people[Math.floor(r() * people.length)],
			role: (['author', 'reviewer', 'viewer'] as const)[k % 3],
			dueOn: new Date(today + Math.round((r() * 120 - 60) * 86_400_000)).toISOString().slice(0, 10)
		}))
	);
	for (let i = 0; i < rows.length; i += 1000) await db.insert(assignments).values(rows.slice(i, i + 1000));
	await db.update(pieces).set({ reviewState: 'in_review' }).where(inArray(pieces.id, ids.filter((_, i) => i % 7 === 0)));
	await db.update(pieces).set({ reviewState: 'approved' }).where(inArray(pieces.id, ids.filter((_, i) => i % 11 === 0)));
	// everyone has a contributor profile, and a piece's creator is its first author (as POST /api/pieces does)
	await db.execute(sql`insert into contributors (id, user_id, name) select 'c-' || id, id, name from users`);
	await db.execute(sql`insert into piece_authors (piece_id, contributor_id, position) select id, 'c-' || created_by, 0 from pieces`);
	// as autovacuum would have done by now on Postgres (EXPLAIN_ANALYZE=0: not, as a PGlite that never analyzes)
	if (process.env.EXPLAIN_ANALYZE !== '0') await db.execute(sql`vacuum analyze`);
}

const editor = { id: 'ed', role: 'editor', name: 'Ed' } as never;
const contributor = { id: people[0], role: 'contributor', name: 'Co' } as never;
type Case = [string, () => Promise<unknown>];
const list = (actor: never, q: object) => () => listPieces(db, actor, q as never, 'UTC');
const cases: Case[] = [
	['editor first page', list(editor, {})],
	...SEARCHES.map((s): Case => [`editor search ${s}`, list(editor, { q: s })]),
	...SEARCHES.map((s): Case => [`editor search+kind+sort ${s}`, list(editor, { q: s, kind: 'article', sort: 'updated', order: 'asc' })]),
	...SEARCHES.map((s): Case => [`editor search+title ${s}`, list(editor, { q: s, sort: 'title' })]),
	['editor overdue', list(editor, { overdue: true })],
	['editor unplaced', list(editor, { issue: 'none' })],
	['editor sort title', list(editor, { sort: 'title' })],
	['editor sort due', list(editor, { sort: 'due' })],
	['editor deep words', list(editor, { sort: 'words', order: 'asc', offset: 5000, limit: 100 })],
	['contributor first page', list(contributor, {})],
	['contributor overdue', list(contributor, { overdue: true })],
	['editor board', () => getBoard(db, editor, 'bench-issue-3', 'UTC')],
	['contributor board', () => getBoard(db, contributor, 'bench-issue-3', 'UTC')]
];

// every statement sent, for EXPLAIN
const client = embeddedClient(db) as unknown as { query(q: string, p?: unknown[], o?: unknown): Promise<{ rows: Record<string, unknown>[] }> } | null;
let sent: [string, unknown[]][] | null = null;
if (client) {
	const query = client.query.bind(client);
	client.query = async (q, p, o) => {
		sent?.push([q, p ?? []]);
		const t = performance.now();
		const result = await query(q, p, o);
		if (process.env.EXPLAIN_TIMES) console.log(`    ${(performance.now() - t).toFixed(1).padStart(6)} ms  ${result.rows.length} rows  ${q.slice(0, 110)}`);
		return result;
	};
}
const only = process.env.EXPLAIN_CASES?.trim();
for (const [name, run] of cases.filter(([n]) => !only || n.includes(only))) {
	for (let k = 0; k < 3; k++) await run();
	const times: number[] = [];
	for (let k = 0; k < 10; k++) {
		const t = performance.now();
		await run();
		times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	console.log(`${name.padEnd(40)} median ${times[5].toFixed(1).padStart(6)} ms  max ${times[9].toFixed(1).padStart(6)} ms`);
	if (process.env.EXPLAIN && client) {
		sent = [];
		await run();
		const statements = sent;
		sent = null;
		for (const [q, p] of statements) {
			const plan = await client.query(`explain (analyze, buffers) ${q}`, p);
			console.log(`  ${q.slice(0, 300)}\n  ${JSON.stringify(p).slice(0, 200)}\n${plan.rows.map((r) => '    ' + Object.values(r)[0]).join('\n')}`);
		}
	}
}
await handle.close();
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
