// Runs one benchmark on each database Galley serves, as bench:pieces and bench:versions do: PGlite in a
// fresh data folder, and Postgres in a fresh database created on BENCH_DATABASE_URL (or TEST_DATABASE_URL)
// and dropped afterwards; BENCH_ONLY=pglite|postgres runs one. Returns the JSON object the bench prints.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { ROOT } from './knobs';

export type DatabaseKind = 'pglite' | 'postgres';
/** Measure one running Galley: `dataEnv` is its database's environment, `dir` a private folder for it. */
export type RunTarget = (kind: DatabaseKind, dataEnv: Record<string, string>, dir: string) => Promise<unknown>;

const loadavg = () => os.loadavg().map((x) => Math.round(x * 100) / 100);

export async function onEachDatabase(bench: string, extra: Record<string, unknown>, progress: (msg: string) => void, runTarget: RunTarget): Promise<Record<string, unknown>> {
	const only = process.env.BENCH_ONLY?.trim();
	const adminUrl = process.env.BENCH_DATABASE_URL?.trim() || process.env.TEST_DATABASE_URL?.trim() || null;
	const targets: Record<string, unknown> = {};
	const results: Record<string, unknown> = { bench, date: new Date().toISOString(), cpus: os.cpus().length, load_before: loadavg(), ...extra, targets };
	const tmp = path.join(ROOT, 'bench', `.run-${bench}-${process.pid}`); // inside the repository: the build's copy finds node_modules
	fs.mkdirSync(tmp, { recursive: true });
	const failed = (err: unknown) => ({ status: `failed: ${String(err)}` });
	try {
		if (!only || only === 'pglite') {
			progress('PGlite');
			fs.mkdirSync(path.join(tmp, 'pglite', 'data'), { recursive: true });
			targets.pglite = await runTarget('pglite', { GALLEY_DATA_DIR: path.join(tmp, 'pglite', 'data'), DATABASE_URL: '' }, path.join(tmp, 'pglite')).catch(failed);
		}
		if (!only || only === 'postgres') {
			if (!adminUrl) targets.postgres = { status: 'skipped: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a Postgres the bench may create databases on' };
			else {
				progress('Postgres');
				const dbName = `galley_bench_${bench}_${Date.now().toString(36)}_${process.pid}`;
				const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
				await admin.unsafe(`create database ${dbName}`);
				try {
					const url = new URL(adminUrl);
					url.pathname = `/${dbName}`;
					fs.mkdirSync(path.join(tmp, 'pg', 'data'), { recursive: true });
					targets.postgres = await runTarget('postgres', { DATABASE_URL: url.toString(), GALLEY_DATA_DIR: path.join(tmp, 'pg', 'data') }, path.join(tmp, 'pg')).catch(failed);
				} finally {
					await admin.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
					await admin.end();
				}
			}
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	results.load_after = loadavg();
	return results;
}
