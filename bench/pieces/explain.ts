// Developer aid: EXPLAIN ANALYZE of the pieces list's queries on a PGlite (or DATABASE_URL) database seeded
// directly with BENCH_PIECES pieces. `npx tsx bench/pieces/explain.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db/client';
import { pieces, users, assignments } from '../../src/lib/server/db/schema';
import { listPieces } from '../../src/lib/server/queries/piece-list';
import { pieceMetrics } from '../../src/lib/server/content/metrics';
import { contentFromPlainText } from '../../src/lib/server/content/plain-text';
import { num, ROOT } from '../knobs';
import { pieceText, seeded, title } from './text';

const N = num('BENCH_PIECES', 10_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'galley-explain-'));
const handle = await openDatabase({ databaseUrl: process.env.DATABASE_URL || null, dataDir: dir });
await handle.migrate(path.join(ROOT, 'migrations'));
const db = handle.db;
const rand = seeded(1);
await db.insert(users).values({ id: 'ed', email: 'ed@example.org', name: 'Ed', role: 'editor', passwordHash: 'x', color: '#1d4ed8' } as never);
await db.insert(users).values({ id: 'co', email: 'co@example.org', name: 'Co', role: 'contributor', passwordHash: 'x', color: '#1d4ed8' } as never);
for (let i = 0; i < N; i += 500) {
	const rows = Array.from({ length: Math.min(500, N - i) }, (_, j) => {
		const kind = (i + j) % 2 ? 'brief' : 'article';
		const m = pieceMetrics(contentFromPlainText(pieceText(rand, kind)));
		return { id: `p${i + j}`, kind, title: title(rand, i + j), createdBy: (i + j) % 10 === 3 ? 'co' : 'ed', wordCount: m.wordCount, bodyText: m.bodyText, metricsVersion: 1 } as const;
	});
	await db.insert(pieces).values(rows);
	await db.insert(assignments).values(rows.map((r, j) => ({ id: `a${i + j}`, pieceId: r.id, userId: (i + j) % 25 ? 'ed' : 'co', role: 'author' as const, dueOn: `2026-${String(1 + ((i + j) % 12)).padStart(2, '0')}-15` })));
}
await db.execute(sql`analyze`);
const editor = { id: 'ed', role: 'editor', name: 'Ed' } as never;
const contributor = { id: 'co', role: 'contributor', name: 'Co' } as never;
for (const [who, actor, q] of [
	['editor', editor, { q: 'reservoir' }],
	['editor', editor, { q: 'sabotage orun' }],
	['editor', editor, {}],
	['editor', editor, { sort: 'due' }],
	['editor', editor, { overdue: true }],
	['editor', editor, { issue: 'none' }],
	['editor', editor, { sort: 'title' }],
	['editor', editor, { sort: 'words', order: 'asc', offset: 5000, limit: 100 }],
	['contributor', contributor, {}],
	['contributor', contributor, { q: 'reservoir' }],
	['contributor', contributor, { overdue: true }]
] as const) {
	for (let k = 0; k < 3; k++) await listPieces(db, actor, q as never, 'UTC');
	const t = performance.now();
	for (let k = 0; k < 10; k++) await listPieces(db, actor, q as never, 'UTC');
	console.log(who, JSON.stringify(q), ((performance.now() - t) / 10).toFixed(1), 'ms');
}
if (process.env.EXPLAIN) {
	const plan = await db.execute(sql.raw(process.env.EXPLAIN));
	console.log(((plan as unknown as { rows?: unknown[] }).rows ?? plan) as unknown);
}
await handle.close();
fs.rmSync(dir, { recursive: true, force: true });
