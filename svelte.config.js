import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit's built-in check refuses form-typed POSTs without a matching Origin, which also
		// refuses Bearer-token scripts (curl, importers). Galley does its own check in hooks.server.ts:
		// a cookie-authenticated unsafe request must come from the app's own origin; Bearer passes.
		csrf: { trustedOrigins: ['*'] },
		// Content-Security-Policy for every page (SvelteKit sends it as a header; API routes set their own
		// headers). 'auto': a nonce for the inline hydration script of server-rendered pages. Styles allow
		// inline: app.html, Svelte and TipTap set style attributes, which a nonce or hash cannot allow.
		// 'self' in connect-src also covers ws:/wss: to the same host and port (CSP Level 3): the
		// collaboration websocket.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
