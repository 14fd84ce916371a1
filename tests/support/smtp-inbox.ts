// A real SMTP server (the smtp-server package) in the test process, on port 0: it keeps what it receives
// so tests can read who got which e-mail. `failNext(n)` answers the next n messages with a temporary error.
import { SMTPServer } from 'smtp-server';
import net, { type AddressInfo } from 'node:net';

export interface ReceivedMail {
	from: string;
	to: string[];
	subject: string;
	/** The body, quoted-printable decoded. */
	body: string;
	/** A header's value as sent (unfolded), or null. */
	header(name: string): string | null;
	raw: string;
}

/** Decode RFC 2047 encoded words ("=?UTF-8?Q?...?="), as mail clients show a subject. */
export function decodeHeader(value: string): string {
	return value
		.replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
		.replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) => {
			const bytes =
				enc.toUpperCase() === 'B'
					? Buffer.from(text, 'base64')
					: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
			return bytes.toString('utf8');
		});
}

export interface SmtpInbox {
	url: string;
	mail: ReceivedMail[];
	failNext(n: number): void;
	close(): Promise<void>;
}

export async function startSmtpInbox(): Promise<SmtpInbox> {
	const mail: ReceivedMail[] = [];
	let failures = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			let raw = '';
			stream.setEncoding('utf8');
			stream.on('data', (chunk: string) => (raw += chunk));
			stream.on('end', () => {
				if (failures > 0) {
					failures--;
					const err = Object.assign(new Error('Try again later'), { responseCode: 451 });
					return callback(err);
				}
				const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
				const subject = decodeHeader(/^Subject: (.*)$/im.exec(head)?.[1] ?? '');
				const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1] ?? null;
				const rawBody = raw.split(/\r?\n\r?\n/).slice(1).join('\n\n');
				const body = /quoted-printable/i.test(header('Content-Transfer-Encoding') ?? '')
					? Buffer.from(rawBody.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_h, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
					: rawBody;
				mail.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), subject, header, body, raw });
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		mail,
		failNext: (n) => (failures = n),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** A TCP port free right now on 127.0.0.1 (to start a server whose ORIGIN must be known before it starts). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
