// The bodies of the compression benchmarks: a JSON document of user-like records, and the
// chunks of a larger streamed body (NDJSON lines of the same records).

/** An array of records whose JSON is about `bytes` long. */
export function document(bytes: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const item = { id: i, name: `user ${i}`, email: `user${i}@example.com`, active: i % 3 !== 0, score: (i * 37) % 101, tags: ['alpha', 'beta', `t${i % 7}`] };
    size += JSON.stringify(item).length + 1;
    out.push(item);
  }
  return out;
}

/** `total` bytes of NDJSON in chunks of `chunk` bytes. */
export function streamChunks(total: number, chunk: number): Buffer[] {
  let text = '';
  for (let i = 0; text.length < total; i++) text += JSON.stringify({ id: i, name: `user ${i}`, email: `user${i}@example.com`, score: (i * 7919) % 1000 }) + '\n';
  const bytes = Buffer.from(text.slice(0, total));
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunk) out.push(bytes.subarray(i, i + chunk));
  return out;
}
