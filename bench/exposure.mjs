// Exposure walk benchmark: `npm run build && node bench/exposure.mjs [blobs] [containers]`.
// Starts Azurite on loopback, uploads small blobs, then measures verify + exposure (requests, time).
import { startLeakyAccount } from '../dist/testing/storage-fixture.js';
import { Verifier } from '../dist/verify/verify.js';
import { verifyFindings } from '../dist/verify/findings.js';
import { credentialsFromText } from '../dist/verify/input.js';
import { BUILTIN_RULES } from '../dist/detect/rules/index.js';
import { overrideLookup } from '../dist/verify/address.js';

const blobs = Number(process.argv[2] ?? 5000);
const containers = Number(process.argv[3] ?? 5);
const acct = await startLeakyAccount([]);
try {
  const t0 = Date.now();
  for (let c = 0; c < containers; c++) await acct.service.getContainerClient(`bench${c}`).create();
  const jobs = Array.from({ length: blobs }, (_, i) => i);
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let i = jobs.shift(); i !== undefined; i = jobs.shift()) {
      const name = i % 97 === 0 ? `models/m${i}.pt` : `data/part-${i}.csv`;
      await acct.service.getContainerClient(`bench${i % containers}`).getBlockBlobClient(name).upload('x'.repeat(100), 100);
    }
  }));
  console.log(`seeded ${blobs} blobs in ${containers} containers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const url = `${acct.prodRoot}/?${acct.accountSas({ permissions: 'rl' })}`;
  for (const maxObjects of [blobs, Math.floor(blobs / 10)]) {
    const { findings, material } = credentialsFromText(url, BUILTIN_RULES, { showSecrets: false, now: new Date() });
    const v = new Verifier({ allowPrivateHosts: true, maxRequests: 10_000, lookup: overrideLookup(new Map([['leakyacct.blob.core.windows.net', '127.0.0.1']])) });
    const t = Date.now();
    await verifyFindings(findings, material, v, { exposure: { maxObjects, maxSeconds: 120 } });
    const e = findings[0].exposure;
    console.log(`max-objects ${maxObjects}: ${e.totals.objects} objects, ${e.totals.bytes} bytes, ${e.sensitive.length} sensitive, partial=${e.partial}, ` +
      `${v.guard.requestsSent} requests (verify + walk), ${((Date.now() - t) / 1000).toFixed(2)} s, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
  }
} finally {
  await acct.stop();
}
