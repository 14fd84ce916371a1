import type { ClientInit } from '@sveltejs/kit';
import { preconnect } from '$lib/state/collab-socket';
import { watchTypingBeforeStart } from '$lib/typed-before-start';

// A piece page opens its collaboration socket before its (large) editor scripts have loaded: see collab-socket.ts.
export const init: ClientInit = () => {
	preconnect(location.pathname);
	// what is typed into a form until the app has started is put back after it has (the root layout's mount)
	watchTypingBeforeStart();
};
