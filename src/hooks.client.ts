import type { ClientInit } from '@sveltejs/kit';
import { preconnect } from '$lib/state/collab-socket';

// A piece page opens its collaboration socket before its (large) editor scripts have loaded: see collab-socket.ts.
export const init: ClientInit = () => {
	preconnect(location.pathname);
};
