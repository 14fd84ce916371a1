import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { readConfig } from './src/lib/server/config';
import { startGalley } from './src/lib/server/runtime';

/** In `vite dev`, attach the same collaboration server to Vite's HTTP server, so dev behaves like production. */
function galleyCollab(): Plugin {
	return {
		name: 'galley-collab',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST || !server.httpServer) return;
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
		include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		fileParallelism: true,
		maxWorkers: 2
	}
});
