import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { handleCollabUpgrade, type UpgradeHost } from './upgrade';
import type { Database } from '../db/client';
import { recordingLogger } from '../../../../tests/support/logs';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const PIECE = '5c9e0614-b0cc-4f88-896c-9b67c989af23';

/** A host that is stopping: every upgrade is answered 503, which is enough to run the upgrade through. */
function stoppingHost(): UpgradeHost {
	return { db: {} as Database, origin: null, stopping: () => true, rightsVersion: () => 0, log: recordingLogger().log };
}

/**
 * Start an upgrade on `socket` and forget it: only a WeakRef to its request is kept. (A plain function: a
 * suspended async function may hold on to its block's values.)
 */
function upgradeAndForget(socket: PassThrough): WeakRef<object> {
	const req = { url: `/collab/${PIECE}`, headers: { host: 'galley.test' } } as unknown as IncomingMessage;
	// as the collaboration server passes it: a closure over the request (and `head`)
	const accept = () => void req.headers;
	expect(handleCollabUpgrade(stoppingHost(), req, socket, accept)).toBe(true);
	return new WeakRef(req);
}

describe('the collaboration upgrade', () => {
	it('keeps neither the upgrade request nor its `accept` alive for as long as the socket lives', async () => {
		const socket = new PassThrough();
		let answered = '';
		socket.on('data', (d) => (answered += d));
		const request = upgradeAndForget(socket);
		await expect.poll(() => answered).toContain('503 Service Unavailable');
		// the socket lives on (an open connection would); what only the upgrade needed can go
		await expect
			.poll(() => {
				collectGarbage();
				return request.deref() === undefined;
			}, { timeout: 5_000 })
			.toBe(true);
		expect(socket.listenerCount('error')).toBe(1);
	});
});
