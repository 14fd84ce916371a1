import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** In `vite dev`, attach the same collaboration server to Vite's HTTP server, so dev behaves like production. */
function galleyCollab(): Plugin {
	return {
		name: 'galley-collab',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST || !server.httpServer) return;
			// Loaded through Vite's SSR loader so the config itself stays small; the runtime is one per process.
			const { readConfig } = await server.ssrLoadModule('/src/lib/server/config.ts');
			const { startGalley } = await server.ssrLoadModule('/src/lib/server/runtime.ts');
			const galley = await startGalley(readConfig());
			server.httpServer.on('upgrade', (req, socket, head) => {
				galley.collab.handleUpgrade(req, socket, head); // returns false for Vite's own HMR socket
			});
		}
	};
}

export default defineConfig({
	plugins: [sveltekit(), galleyCollab()],
	test: {
		testTimeout: 30_000,
		hookTimeout: 60_000,
		fileParallelism: true,
		maxWorkers: 2,
		projects: [
			// Unit tests share one module graph per worker (no isolation): each file re-importing TipTap, Yjs and
			// the schema took more time than the tests (src: 66 -> 31 s, 2026-12-07). A test that stubs a global
			// or fakes timers undoes it after itself.
			{ extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
			// Each integration file starts its own servers and databases; files stay isolated from each other.
			{ extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] } }
		]
	}
});
