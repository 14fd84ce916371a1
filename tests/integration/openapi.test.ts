// The OpenAPI document served at /api/openapi.json documents exactly the API routes that exist: a route
// added under src/routes/api without documentation (or documentation of a route that is gone) fails here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneDatabaseKind, startGalley, type GalleyTestDatabase, type RunningGalley } from '../support/galley-server';
import { freshTestDatabase, serverEnv } from '../support/test-database';

/** Starting a server on a 2-core machine busy with other test runs can take tens of seconds. */
const START_TIMEOUT = 120_000;

const API_DIR = path.resolve('src/routes/api');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/** Every +server.ts under src/routes/api, as OpenAPI path → sorted lower-case HTTP methods it exports. */
function routesOnDisk(): Record<string, string[]> {
	const routes: Record<string, string[]> = {};
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name === '+server.ts' || entry.name === '+server.js') {
				routes[openApiPath(path.relative(API_DIR, dir))] = exportedMethods(fs.readFileSync(full, 'utf8'));
			}
		}
	};
	walk(API_DIR);
	return routes;
}

/** `pieces/[id]/content` → `/api/pieces/{id}/content`; route groups `(name)` vanish from the URL. */
function openApiPath(relativeDir: string): string {
	const segments = relativeDir
		.split(path.sep)
		.filter((s) => s !== '' && !/^\(.+\)$/.test(s))
		.map((segment) => {
			if (/^\[\[.+\]\]$/.test(segment)) throw new Error(`optional parameter in ${relativeDir}: document it as two paths and teach this test`);
			return segment.replace(/^\[(?:\.\.\.)?([^\]=]+)(?:=[^\]]+)?\]$/, '{$1}');
		});
	return ['/api', ...segments].join('/');
}

function exportedMethods(source: string): string[] {
	const found = new Set<string>();
	const declared = /export\s+(?:const|let|var|async\s+function|function)\s+([A-Z]+)\b/g;
	for (const m of source.matchAll(declared)) found.add(m[1]);
	const listed = /export\s*\{([^}]*)\}/g;
	for (const m of source.matchAll(listed)) {
		for (const part of m[1].split(',')) {
			const name = part.trim().split(/\s+as\s+/).pop()!.trim();
			found.add(name);
		}
	}
	return [...found]
		.filter((name) => (METHODS as readonly string[]).includes(name))
		.map((m) => m.toLowerCase())
		.sort();
}

describe('the route scanner', () => {
	it('maps folders to OpenAPI paths and finds exported handlers', () => {
		expect(openApiPath(path.join('pieces', '[id]', 'content'))).toBe('/api/pieces/{id}/content');
		expect(openApiPath(path.join('(admin)', 'invites', '[token]'))).toBe('/api/invites/{token}');
		expect(openApiPath('openapi.json')).toBe('/api/openapi.json');
		expect(
			exportedMethods(
				'export const GET: RequestHandler = route(a);\nexport async function POST() {}\nexport function DELETE() {}\nconst PATCH = 1;\nexport { PATCH as PUT };\nexport const prerender = false;'
			)
		).toEqual(['delete', 'get', 'post', 'put']);
	});

	it('finds the routes this app is known to have', () => {
		const routes = routesOnDisk();
		expect(routes['/api/health']).toEqual(['get']);
		expect(routes['/api/pieces/{id}']).toEqual(['delete', 'get', 'patch']);
		expect(routes['/api/tokens/{id}']).toEqual(['delete']);
		expect(Object.values(routes).every((methods) => methods.length > 0)).toBe(true);
	});
});

describe.each(oneDatabaseKind())('OpenAPI document on %s', (kind) => {
	let database: GalleyTestDatabase;
	let galley: RunningGalley;
	let doc: { openapi: string; paths: Record<string, Record<string, { responses?: Record<string, unknown>; parameters?: { in: string; name: string }[] }>> };

	beforeAll(async () => {
		database = await freshTestDatabase(kind);
		galley = await startGalley(serverEnv(database));
		const res = await fetch(`${galley.url}/api/openapi.json`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		doc = await res.json();
	}, START_TIMEOUT);

	afterAll(async () => {
		await galley?.stop();
		await database?.drop();
	});

	it('is an OpenAPI 3.1 document, served without authentication', () => {
		expect(doc.openapi).toBe('3.1.0');
		expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
	});

	it('lists every API route that exists, with exactly the methods its +server.ts exports', () => {
		const documented = Object.fromEntries(
			Object.entries(doc.paths).map(([p, item]) => [p, Object.keys(item).filter((k) => (METHODS as readonly string[]).includes(k.toUpperCase())).sort()])
		);
		expect(documented).toEqual(routesOnDisk());
	});

	it('documents each path parameter and at least one response for every operation', () => {
		for (const [p, item] of Object.entries(doc.paths)) {
			const params = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
			for (const [method, op] of Object.entries(item)) {
				if (!(METHODS as readonly string[]).includes(method.toUpperCase())) continue;
				expect(Object.keys(op.responses ?? {}), `${method.toUpperCase()} ${p}`).not.toEqual([]);
				const declared = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name);
				expect(declared.sort(), `path parameters of ${method.toUpperCase()} ${p}`).toEqual([...params].sort());
			}
		}
	});
});
