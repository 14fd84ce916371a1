// The Galley build the bench runs (a private copy of build/) and the temporary things to remove however the
// run ends (directories, the Postgres database created for the run).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { ROOT } from '../knobs';
import { progress, results } from './common';
import { children } from './processes';
import { sleep, withTimeout } from './stats';

/** Temporary things to remove however the run ends. */
export const cleanupState: { tmpDirs: string[]; pgDb: { admin: postgres.Sql; name: string } | null } = { tmpDirs: [], pgDb: null };
export async function cleanup() {
	const pgDb = cleanupState.pgDb;
	cleanupState.pgDb = null;
	if (pgDb) {
		for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
		await withTimeout(pgDb.admin.unsafe(`drop database if exists ${pgDb.name} with (force)`), 10_000, 'drop database').catch((e) =>
			results.notes.push(`could not drop database ${pgDb.name}: ${String(e)}`)
		);
		await pgDb.admin.end({ timeout: 2 }).catch(() => undefined);
	}
	for (const d of cleanupState.tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * Others may rebuild build/ while we run: wait until a complete build is there (build it only if none
 * appears), then run a private copy of it (under bench/, so packages resolve from node_modules).
 */
export async function prepareGalleyBuild(): Promise<string | null> {
	// BENCH_BUILD: another build folder to run (e.g. a copy of an older build, for a before/after comparison).
	const buildDir = process.env.BENCH_BUILD ? path.resolve(process.env.BENCH_BUILD) : path.join(ROOT, 'build');
	const entry = path.join(buildDir, 'galley-server.js');
	const handler = path.join(buildDir, 'handler.js');
	const complete = () => fs.existsSync(entry) && fs.existsSync(handler) && fs.existsSync(path.join(buildDir, 'server'));
	for (let i = 0; i < 60 && !complete(); i++) {
		if (i === 0) progress('build/galley-server.js is missing (someone may be rebuilding): waiting up to 60 s');
		await sleep(1000);
	}
	if (!complete() && process.env.BENCH_BUILD) {
		results.notes.push(`BENCH_BUILD ${buildDir} holds no complete build: Galley targets skipped`);
		return null;
	}
	if (!complete()) {
		progress('no build appeared: running npm run build');
		const code = await new Promise<number | null>((resolve) => {
			const b = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
			children.add(b);
			const timer = setTimeout(() => b.kill('SIGKILL'), 240_000);
			b.on('exit', (c) => {
				clearTimeout(timer);
				children.delete(b);
				resolve(c);
			});
		});
		if (code !== 0 || !complete()) {
			results.notes.push(`build/galley-server.js missing and npm run build failed (exit ${code}): Galley targets skipped`);
			return null;
		}
		results.notes.push('build/galley-server.js was missing: the bench ran npm run build');
	}
	// A build being rewritten changes under us: copy when it has been still for 2 s.
	for (let i = 0; i < 30; i++) {
		const m1 = fs.statSync(entry).mtimeMs;
		await sleep(2000);
		if (complete() && fs.statSync(entry).mtimeMs === m1) break;
	}
	const dir = path.join(ROOT, 'bench', `.run-${process.pid}`);
	cleanupState.tmpDirs.push(dir);
	fs.cpSync(buildDir, path.join(dir, 'app'), { recursive: true });
	results.config.galley_build = `copy of ${path.relative(ROOT, buildDir) || buildDir} taken at start (build/galley-server.js of ${fs.statSync(entry).mtime.toISOString()})`;
	return path.join(dir, 'app', 'galley-server.js');
}
