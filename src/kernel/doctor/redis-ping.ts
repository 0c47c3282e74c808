import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/**
 * One PING over RESP, enough for `keel doctor` to tell whether REDIS_URL answers (and
 * authenticates) without pulling a Redis client into the kernel before any feature needs one.
 */
export async function redisPing(url: string, timeoutMs = 2_000): Promise<string> {
  const target = new URL(url);
  const port = Number(target.port || 6379);
  const host = target.hostname;
  const password = decodeURIComponent(target.password);
  const username = decodeURIComponent(target.username);
  const commands: string[][] = [];
  if (password) commands.push(username ? ['AUTH', username, password] : ['AUTH', password]);
  commands.push(['PING']);
  const payload = commands
    .map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`)
    .join('');

  return new Promise((resolve, reject) => {
    const socket =
      target.protocol === 'rediss:' ? tlsConnect({ host, port, servername: host }) : connect({ host, port });
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once(target.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(payload));
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
      const lines = received.split('\r\n').filter(Boolean);
      const error = lines.find((l) => l.startsWith('-'));
      if (error) {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(error.slice(1)));
      } else if (lines.length >= commands.length) {
        clearTimeout(timer);
        socket.end();
        resolve(lines[lines.length - 1]?.replace(/^\+/, '') ?? '');
      }
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
