// Fresh databases for integration tests, quickly. Creating a PGlite database costs about 5 s of CPU (far
// more on a busy machine); opening a copy of an empty, migrated one costs a fraction of that. The first
// test that needs one makes the template (other workers wait for it), cached in node_modules/.cache and
// keyed by the migrations and the PGlite version, so later runs only copy.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { untilTrue, freshDatabase, startGalley, type DatabaseKind, type GalleyTestDatabase } from './galley-server';

const CACHE = path.resolve('node_modules/.cache/galley-vitest');

/**
 * The environment for a server on `database`: exactly that database, whatever the shell exports
 * (a DATABASE_URL there would otherwise turn a "PGlite" server into a Postgres one).
 */
export function serverEnv(database: GalleyTestDatabase): Record<string, string> {
	return { DATABASE_URL: '', REDIS_URL: '', GALLEY_DEMO: '', ...database.env };
}

/** A fresh, empty, migrated database of `kind`; PGlite ones are copied from the cached template. */
export async function freshTestDatabase(kind: DatabaseKind): Promise<GalleyTestDatabase> {
	const database = await freshDatabase(kind);
	if (kind === 'pglite') {
		try {
			const template = await pgliteTemplate();
			fs.cpSync(template, database.env.GALLEY_DATA_DIR, { recursive: true, filter: (src) => path.basename(src) !== 'ready' });
		} catch (err) {
			await database.drop();
			throw err;
		}
	}
	return database;
}

function templateKey(): string {
	const hash = crypto.createHash('sha256');
	const files = fs.readdirSync('migrations', { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
	for (const f of files.map((e) => path.join(e.parentPath, e.name)).sort()) hash.update(f).update(fs.readFileSync(f));
	hash.update(JSON.parse(fs.readFileSync('node_modules/@electric-sql/pglite/package.json', 'utf8')).version);
	return hash.digest('hex').slice(0, 16);
}

async function pgliteTemplate(): Promise<string> {
	const dir = path.join(CACHE, `pglite-template-${templateKey()}`);
	const ready = path.join(dir, 'ready');
	if (fs.existsSync(ready)) return dir;
	fs.mkdirSync(CACHE, { recursive: true });
	const lock = `${dir}.lock`;
	try {
		fs.mkdirSync(lock);
	} catch (err) {
		if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
		// Another worker is making it. A lock left by a crashed run is stale after a few minutes.
		if (Date.now() - fs.statSync(lock).mtimeMs > 180_000) {
			fs.rmSync(lock, { recursive: true, force: true });
			return pgliteTemplate();
		}
		await untilTrue(() => fs.existsSync(ready), `the PGlite template ${dir}`, { timeout: 120_000, interval: 100 });
		return dir;
	}
	try {
		const scratch = await freshDatabase('pglite');
		try {
			const server = await startGalley({ DATABASE_URL: '', REDIS_URL: '', GALLEY_DEMO: '', ...scratch.env });
			const code = await server.stop(); // graceful: PGlite closes its files and releases the lock file
			if (code !== 0) throw new Error(`The template database did not shut down cleanly (exit ${code}):\n${server.output()}`);
			fs.rmSync(dir, { recursive: true, force: true });
			fs.cpSync(scratch.env.GALLEY_DATA_DIR, dir, { recursive: true });
			fs.writeFileSync(ready, new Date().toISOString());
		} finally {
			await scratch.drop();
		}
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
	return dir;
}
