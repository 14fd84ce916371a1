// Bundle the custom server entry next to adapter-node's output. Packages stay external (node_modules).
import { build } from 'esbuild';

await build({
	entryPoints: ['server/index.ts'],
	outfile: 'build/galley-server.js',
	bundle: true,
	platform: 'node',
	target: 'node20',
	format: 'esm',
	packages: 'external',
	external: ['./handler.js'],
	sourcemap: true,
	logLevel: 'warning'
});
console.log('built build/galley-server.js');
