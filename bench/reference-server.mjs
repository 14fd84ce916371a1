// Reference collaboration server for bench/collab.ts: @y/websocket-server 0.1.1's setupWSConnection,
// in memory (no YPERSISTENCE), no auth. Prints `BENCH_LISTENING <port>` once listening.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

delete process.env.YPERSISTENCE; // in memory only

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 0);

const server = http.createServer((_req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' });
	res.end('ok');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (conn, req, docName) => setupWSConnection(conn, req, { docName, gc: true }));
server.on('upgrade', (req, socket, head) => {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const docName = decodeURIComponent(url.pathname.slice(1));
	wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, docName));
});
server.listen(port, host, () => {
	const address = server.address();
	console.log(`BENCH_LISTENING ${typeof address === 'object' && address ? address.port : port}`);
});
const stop = () => {
	server.close();
	for (const c of wss.clients) c.terminate();
	process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
