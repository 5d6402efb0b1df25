/** loadConfig: the environment and .env files, validated by Zod, Valibot and ArkType, every problem at once, no value in any message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { z } from 'zod';
import * as v from 'valibot';
import { type } from 'arktype';
import { ConfigError, loadConfig, parseEnvText, registerAs } from '../src/index.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'armature-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const SECRET = 'sk_live_51HcQvLJ2eZvKYlo2C0a9';

const zodEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65535),
  HOST: z.string().default('127.0.0.1'),
  NODE_ENV: z.enum(['development', 'production', 'test']),
  STRIPE_KEY: z.string().startsWith('sk_test_'),
});

test('Zod: coerced, defaulted and typed values', async () => {
  const config = await loadConfig({ schema: zodEnv, envFile: false, env: { PORT: '8080', NODE_ENV: 'test', STRIPE_KEY: 'sk_test_1' } });
  const port: number = config.get('PORT');
  assert.equal(port, 8080);
  assert.equal(config.get('HOST'), '127.0.0.1');
  assert.equal(config.getOrThrow('NODE_ENV'), 'test');
  // @ts-expect-error: not a key of the schema
  config.get('NOPE');
});

test('Zod: every problem listed at once, the refused secret redacted', async () => {
  const error = await loadConfig({ schema: zodEnv, envFile: false, env: { PORT: 'eighty', NODE_ENV: 'staging', STRIPE_KEY: SECRET } }).then(
    () => assert.fail('an invalid configuration loaded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((i) => i.key).sort(), ['NODE_ENV', 'PORT', 'STRIPE_KEY']);
  assert.match(error.message, /^Invalid configuration: 3 problems\n/);
  assert.match(error.message, /  - PORT: /);
  assert.ok(!error.message.includes(SECRET), error.message);
  assert.ok(!inspect(error).includes(SECRET));
  assert.ok(!JSON.stringify(error.issues).includes(SECRET));
});

test('Valibot: the same, with the value it quotes redacted', async () => {
  const schema = v.object({
    PORT: v.pipe(v.string(), v.transform(Number), v.number(), v.integer()),
    API_TOKEN: v.pipe(v.string(), v.minLength(40)),
    MODE: v.picklist(['a', 'b']),
  });
  const ok = await loadConfig({ schema, envFile: false, env: { PORT: '3000', API_TOKEN: 'x'.repeat(40), MODE: 'a' } });
  const port: number = ok.get('PORT');
  assert.equal(port, 3000);
  const error = await loadConfig({ schema, envFile: false, env: { PORT: '3000.5', API_TOKEN: SECRET, MODE: 'password-hunter2' } }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  assert.deepEqual(error.issues.map((i) => i.key).sort(), ['API_TOKEN', 'MODE', 'PORT']);
  assert.ok(!error.message.includes(SECRET), error.message);
  assert.ok(!error.message.includes('password-hunter2'), error.message);
});

test('ArkType: the same', async () => {
  const schema = type({ PORT: 'string.integer.parse', DATABASE_URL: 'string.url', 'LOG_LEVEL?': "'info' | 'debug'" });
  const ok = await loadConfig({ schema, envFile: false, env: { PORT: '5432', DATABASE_URL: 'postgres://u:p@db/x' } });
  assert.equal(ok.get('PORT'), 5432);
  const url = 'not a url but a password: hunter2hunter2';
  const error = await loadConfig({ schema, envFile: false, env: { PORT: 'x', DATABASE_URL: url, LOG_LEVEL: 'loud' } }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError, String(error));
  assert.deepEqual(error.issues.map((i) => i.key).sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
  assert.ok(!error.message.includes('hunter2'), error.message);
});

test('a secret named in another variable is redacted from every message, even one about another key', async () => {
  const schema = z.object({ DB_PASSWORD: z.string(), NAME: z.string().refine(() => false, { message: `bad, unlike ${SECRET}` }) });
  const error = await loadConfig({ schema, envFile: false, env: { DB_PASSWORD: SECRET, NAME: 'n' } }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.equal(error.message, 'Invalid configuration: 1 problem\n  - NAME: bad, unlike [redacted]');
});

test('.env files: parsed, process variables win, the first file wins over later ones, a missing file is skipped', async () => {
  const d = dir({
    '.env': 'PORT=3000\nHOST=0.0.0.0\n# comment\nQUOTED="a b # c"\nexport EXPORTED=yes\nMULTI="line1\nline2"\n',
    '.env.local': 'PORT=4000\n',
  });
  try {
    const config = await loadConfig({ envFile: ['.env.local', '.env', '.env.missing'], cwd: d, env: { HOST: 'example.org' } });
    assert.equal(config.get('PORT'), '4000');
    assert.equal(config.get('HOST'), 'example.org');
    assert.equal(config.get('QUOTED'), 'a b # c');
    assert.equal(config.get('EXPORTED'), 'yes');
    assert.equal(config.get('MULTI'), 'line1\nline2');
    assert.equal(process.env.QUOTED, undefined, 'an env object given: process.env is left alone');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('.env files: copied into process.env (unset keys only) when reading process.env, as dotenv and NestJS do', async () => {
  const d = dir({ '.env': 'ARMATURE_CONFIG_TEST_A=from-file\nARMATURE_CONFIG_TEST_B=from-file\n' });
  process.env.ARMATURE_CONFIG_TEST_B = 'from-process';
  try {
    const config = await loadConfig({ cwd: d });
    assert.equal(config.get('ARMATURE_CONFIG_TEST_A'), 'from-file');
    assert.equal(config.get('ARMATURE_CONFIG_TEST_B'), 'from-process');
    assert.equal(process.env.ARMATURE_CONFIG_TEST_A, 'from-file');
    assert.equal(process.env.ARMATURE_CONFIG_TEST_B, 'from-process');
  } finally {
    delete process.env.ARMATURE_CONFIG_TEST_A;
    delete process.env.ARMATURE_CONFIG_TEST_B;
    rmSync(d, { recursive: true, force: true });
  }
});

test('an env file that exists but cannot be read is an error naming it', async () => {
  const d = dir({});
  try {
    await assert.rejects(loadConfig({ envFile: '.', cwd: d, env: {} }), /Cannot read the env file/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('parseEnvText reads what dotenv files hold', () => {
  assert.deepEqual(parseEnvText('A=1\nB = two \nC=\'single\'\n#D=no\nE="x=y"\n'), { A: '1', B: 'two', C: 'single', E: 'x=y' });
});

test('namespaces: validated with the rest, under their names, with dotted keys', async () => {
  const database = registerAs('database', (env) => ({ url: env.DATABASE_URL, pool: env.DB_POOL }), z.object({ url: z.url(), pool: z.coerce.number().default(10) }));
  const mail = registerAs('mail', (env) => ({ from: env.MAIL_FROM ?? 'noreply@example.com' }));
  const config = await loadConfig({ schema: z.object({ PORT: z.coerce.number() }), envFile: false, env: { PORT: '1', DATABASE_URL: 'postgres://db/x' }, load: [database, mail] });
  assert.equal(config.get('PORT'), 1);
  const pool: number = config.get('database.pool');
  assert.equal(pool, 10);
  assert.deepEqual(config.get('database'), { url: 'postgres://db/x', pool: 10 });
  assert.equal(config.get('mail.from'), 'noreply@example.com');
  assert.equal(config.has('database.url'), true);
  assert.equal(config.has('database.nope'), false);

  const error = await loadConfig({ schema: z.object({ PORT: z.coerce.number() }), envFile: false, env: { PORT: 'x', DATABASE_URL: 'hunter2hunter2', DB_POOL: 'many' }, load: [database] }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((i) => i.key).sort(), ['PORT', 'database.pool', 'database.url']);
  assert.ok(!error.message.includes('hunter2'), error.message);
});

test('a namespace factory that throws is one of the problems listed', async () => {
  const broken = registerAs('broken', () => {
    throw new Error('no way');
  });
  const error = await loadConfig({ schema: z.object({ A: z.string() }), envFile: false, env: {}, load: [broken] }).catch((e: unknown) => e);
  assert.ok(error instanceof ConfigError);
  assert.deepEqual(error.issues.map((i) => i.key), ['A', 'broken']);
});

test('printing a configuration shows its keys, never its values', async () => {
  const config = await loadConfig({ envFile: false, env: { API_SECRET: SECRET, PORT: '1' } });
  assert.equal(config.get('API_SECRET'), SECRET);
  assert.ok(!inspect(config).includes(SECRET));
  assert.ok(!JSON.stringify({ config }).includes(SECRET));
  assert.match(inspect(config), /API_SECRET/);
});

test('mistakes in the options are TypeErrors', async () => {
  await assert.rejects(loadConfig({ schema: { parse() {} } as never, env: {} }), TypeError);
  assert.throws(() => registerAs('a.b', () => ({})), TypeError);
  const a = registerAs('a', () => 1);
  await assert.rejects(loadConfig({ load: [a, a], env: {}, envFile: false }), /two namespaces are named a/);
});

test('the fallback parser (dotenv, for Node < 20.12) reads a file as util.parseEnv does', async () => {
  const { parse } = (await import('dotenv')).default;
  const text = 'A=1\nexport B="two words"\nC=\'x # y\'\n# comment\nD=plain # trailing\nMULTI="l1\nl2"\nEMPTY=\n';
  assert.deepEqual({ ...parse(text) }, parseEnvText(text));
});
