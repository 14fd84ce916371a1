// Hocuspocus server for bench/collab.ts: @hocuspocus/server 3.4.4 (4.x needs Node 22), no extensions,
// in memory. Prints `BENCH_LISTENING <port>` once listening.
import { Server } from '@hocuspocus/server';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const server = new Server({ port, address: host, quiet: true });
await server.listen();
console.log(`BENCH_LISTENING ${server.address.port}`);
const stop = async () => {
	try {
		await server.destroy();
	} finally {
		process.exit(0);
	}
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
