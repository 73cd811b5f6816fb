import { connect } from 'node:net';

/** What a malware scanner says about a file's bytes. */
export type ScanVerdict = { infected: false } | { infected: true; signature: string };

export interface Scanner {
  scan(bytes: Uint8Array): Promise<ScanVerdict>;
}

const CHUNK = 64 * 1024;

/**
 * ClamAV's daemon over TCP (`host:port`), with its INSTREAM command: the bytes go in length-prefixed
 * chunks and clamd answers `stream: OK` or `stream: <signature> FOUND`. Anything else (unreachable,
 * size limit, an error) throws: a file that was not scanned is never CLEAN.
 */
export function clamdScanner(address: string, timeoutMs = 60_000): Scanner {
  const [host, port] = address.includes(':') ? [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))] : [address, 3310];
  return {
    scan: (bytes) =>
      new Promise<ScanVerdict>((resolve, reject) => {
        const socket = connect({ host: host!, port: port! });
        const replies: Buffer[] = [];
        socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`clamd at ${address} did not answer within ${timeoutMs} ms`)));
        socket.on('error', reject);
        socket.on('data', (chunk) => replies.push(chunk));
        socket.on('end', () => {
          const reply = Buffer.concat(replies).toString('utf8').replace(/\0/g, '').trim();
          if (reply === 'stream: OK') return resolve({ infected: false });
          const found = /^stream: (.+) FOUND$/.exec(reply);
          if (found) return resolve({ infected: true, signature: found[1]! });
          reject(new Error(`clamd at ${address} answered: ${reply || '(nothing)'}`));
        });
        socket.on('connect', () => {
          socket.write('zINSTREAM\0');
          for (let offset = 0; offset < bytes.length; offset += CHUNK) {
            const chunk = bytes.subarray(offset, offset + CHUNK);
            const size = Buffer.alloc(4);
            size.writeUInt32BE(chunk.length);
            socket.write(size);
            socket.write(chunk);
          }
          socket.end(Buffer.alloc(4));
        });
      }),
  };
}
