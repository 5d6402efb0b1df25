import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { Armature, Controller, Get, Module } from '@armature/core';
import { Compress, CompressionModule } from '../src/module.js';
import { compression } from '../src/middleware.js';
import { jsonDocument } from './helpers.js';

const doc = jsonDocument(10 * 1024);

@Controller('/api')
class ReportsController {
  @Get('/report')
  report() {
    return doc;
  }

  @Get('/best', { middleware: [compression({ levels: { gzip: 9 } })] })
  best() {
    return doc;
  }

  @Get('/plain', { middleware: [compression(false)] })
  plain() {
    return doc;
  }
}

@Module({ imports: [CompressionModule.forRoot({ encodings: ['gzip'], threshold: 100 })], controllers: [ReportsController] })
class AppModule {}

test('CompressionModule.forRoot compresses every answer of a DI app; route options override', async () => {
  const app = await Armature.create(AppModule);
  try {
    const h = { 'accept-encoding': 'br, gzip' };
    const report = await app.inject({ url: '/api/report', headers: h });
    assert.equal(report.headers['content-encoding'], 'gzip'); // br is not offered by this module
    assert.deepEqual(JSON.parse(zlib.gunzipSync(report.rawBody).toString()), doc);
    // route options replace the module's (all codings offered again): ask for gzip alone
    const best = await app.inject({ url: '/api/best', headers: { 'accept-encoding': 'gzip' } });
    assert.deepEqual(best.rawBody, zlib.gzipSync(JSON.stringify(doc), { level: 9 }));
    const plain = await app.inject({ url: '/api/plain', headers: h });
    assert.equal(plain.headers['content-encoding'], undefined);
    const missing = await app.inject({ url: '/nowhere', headers: h });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['content-encoding'], 'gzip'); // the problem answer (> 100 bytes)
  } finally {
    await app.close();
  }
  assert.throws(() => CompressionModule.forRoot({ levels: { gzip: 10 } }), /gzip level must be an integer from 0 to 9/);
});

test('@Compress on a method or a class: its settings replace the module\'s; @Compress(false) turns it off; bad options fail at definition', async () => {
  @Controller('/c')
  class DecoratedController {
    @Get('/best') @Compress({ levels: { gzip: 9 } })
    best() {
      return doc;
    }

    @Get('/off') @Compress(false)
    off() {
      return doc;
    }

    @Get('/module')
    fromModule() {
      return doc;
    }
  }
  @Controller('/br') @Compress({ encodings: ['br'], threshold: 0 })
  class BrotliController {
    @Get('/small')
    small() {
      return { ok: true };
    }
  }
  @Module({ imports: [CompressionModule.forRoot({ encodings: ['gzip'], threshold: 100 })], controllers: [DecoratedController, BrotliController] })
  class DecoratedModule {}
  const app = await Armature.create(DecoratedModule);
  try {
    const best = await app.inject({ url: '/c/best', headers: { 'accept-encoding': 'gzip' } });
    assert.deepEqual(best.rawBody, zlib.gzipSync(JSON.stringify(doc), { level: 9 }));
    const off = await app.inject({ url: '/c/off', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(off.headers['content-encoding'], undefined);
    assert.deepEqual(JSON.parse(off.body), doc);
    const fromModule = await app.inject({ url: '/c/module', headers: { 'accept-encoding': 'gzip' } });
    assert.deepEqual(JSON.parse(zlib.gunzipSync(fromModule.rawBody).toString()), doc);
    assert.equal(fromModule.headers['content-encoding'], 'gzip');
    const small = await app.inject({ url: '/br/small', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(small.headers['content-encoding'], 'br', 'the class decorator offers br with no threshold');
    assert.deepEqual(JSON.parse(zlib.brotliDecompressSync(small.rawBody).toString()), { ok: true });
  } finally {
    await app.close();
  }
  assert.throws(() => Compress({ levels: { br: 12 } }), /br level must be an integer from 0 to 11/);
});
