import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../model/finding.js';
import { findIn } from '../../testing/find.js';
import { encodeSig, fakeSig, sasQuery } from '../../testing/tokens.js';

/**
 * Links as real code writes them: split over string literals in every language, several on
 * one line, parameters in any order, stored-policy links, and the account or emulator a bare
 * token's configuration names a few lines away. Positions are those of the original file.
 */
const NOW = new Date('2026-01-01T00:00:00Z');
const sig = encodeSig(fakeSig('real-code'));
const HOST = 'https://mlassets01.blob.core.windows.net/models/resnet50.ckpt';
const PARAMS = 'sv=2021-08-06&ss=b&srt=sco&sp=rwdl';
const TIMES = 'se=2031-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https';

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function position(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} not in the snippet`);
  const before = text.slice(0, at).split('\n');
  return [before.length, before[before.length - 1]!.length + 1];
}

function sas(text: string, path: string): Finding[] {
  return findIn(text, { path, now: NOW }).filter((f) => f.rule === 'azure-sas');
}

describe('1. a link split over string literals is one finding, at its first character', () => {
  const snippets: [string, string][] = [
    ['download.py', `SAS_URL = (\n    "${HOST}?"\n    "${PARAMS}"\n    # expires with the project\n    "&${TIMES}"\n    "&sig=${sig}"\n)\n`],
    ['upload.js', `const url = "${HOST}?${PARAMS}&${TIMES}" +\n  "&sig=${sig}";\n`],
    ['Upload.java', `String url = "${HOST}?${PARAMS}"\n        + "&${TIMES}"\n        + "&sig=${sig}";\n`],
    ['Program.cs', `var url = @"${HOST}?" +\n    $"${PARAMS}&${TIMES}" +\n    "&sig=${sig}";\n`],
    ['Job.scala', `val url = s"${HOST}?${PARAMS}&${TIMES}" +\n  "&sig=${sig}"\n`],
    ['upload.php', `<?php\n$url = '${HOST}?${PARAMS}&${TIMES}'\n    . '&sig=${sig}';\n`],
    ['Module1.vb', `Dim url As String = "${HOST}?${PARAMS}&${TIMES}" & _\n    "&sig=${sig}"\n`],
    ['main.go', `url := "${HOST}?${PARAMS}&${TIMES}" +\n\t"&sig=${sig}"\n`],
    ['Startup.cs', `string sasUrl = "${HOST}?";\nsasUrl += "${PARAMS}&${TIMES}";\n// the signature from the portal\nsasUrl += "&sig=${sig}";\n`],
    ['upload.ps1', `$sasUrl = "${HOST}?${PARAMS}&${TIMES}" +\n    "&sig=${sig}"\n`],
    ['upload.rb', `url = "${HOST}?${PARAMS}&${TIMES}" \\\n      "&sig=${sig}"\n`],
    ['build.py', `url = "".join([\n    "${HOST}?",\n    "${PARAMS}&${TIMES}",\n    "&sig=${sig}",\n])\n`],
    ['build.js', `const url = ['${HOST}?', '${PARAMS}&${TIMES}', '&sig=${sig}'].join('');\n`],
    ['parts.yaml', `# joined by deploy.py\nsas_url_parts:\n  - "${HOST}?"\n  - "${PARAMS}&${TIMES}"\n  - "&sig=${sig}"\n`],
  ];
  for (const [path, text] of snippets) {
    test(path, () => {
      const f = sas(text, path);
      assert.equal(f.length, 1, `${path}: ${JSON.stringify(f.map((x) => x.secret))}`);
      const g = f[0]!.grant!;
      assert.equal(g.account, 'mlassets01');
      assert.equal(g.accountSource, 'url');
      assert.equal(g.kind, 'account-sas');
      assert.deepEqual(g.permissions, ['read', 'write', 'delete', 'list']);
      assert.equal(g.expiry, '2031-01-01T00:00:00Z', 'the parameters of every piece are read');
      assert.deepEqual([f[0]!.location.line, f[0]!.location.column], position(text, HOST.slice(0, 20)));
      assert.equal(f[0]!.location.encoding, 'joined-strings');
    });
  }

  test('in a notebook cell, where each source line is a JSON string', () => {
    for (const quote of ['"', "'"]) {
      const source = [`SAS_URL = (\n`, `    ${quote}${HOST}?${quote}\n`, `    # signed for the project\n`, `    ${quote}${PARAMS}&${TIMES}${quote}\n`, `    ${quote}&sig=${sig}${quote}\n`, `)\n`];
      const nb = { cells: [{ cell_type: 'markdown', metadata: {}, source: ['# Data'] }, { cell_type: 'code', metadata: {}, outputs: [], execution_count: 1, source }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
      const text = JSON.stringify(nb, null, 1);
      const f = sas(text, 'train.ipynb');
      assert.equal(f.length, 1, quote);
      assert.equal(f[0]!.grant!.account, 'mlassets01', quote);
      assert.equal(f[0]!.grant!.expiry, '2031-01-01T00:00:00Z', quote);
      assert.equal(f[0]!.location.cell, 1, quote);
      assert.equal(f[0]!.location.line, position(text, HOST.slice(0, 20))[0], quote);
    }
  });

  test('f-strings and template literals: the literal parts make the link, the account is unknown', () => {
    const token = `sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig=${sig}`;
    for (const [path, text] of [
      ['fetch.py', `url = f"https://{account}.blob.core.windows.net/{container}?${token}"\n`],
      ['fetch.ts', 'const url = `https://${account}.blob.core.windows.net/${container}?' + token + '`;\n'],
      ['Fetch.cs', `var url = string.Format("https://{0}.blob.core.windows.net/{1}?${token}", account, container);\n`],
      ['fetch.js', `const url = "https://" + cfg.account + ".blob.core.windows.net/data?" +\n  "${token}";\n`],
    ] as const) {
      const f = sas(text, path);
      assert.equal(f.length, 1, path);
      const g = f[0]!.grant!;
      assert.equal(g.account, null, path);
      assert.equal(g.endpoint?.service, 'blob', path);
      assert.equal(g.endpoint?.cloud, 'public', path);
      assert.equal(g.scope, 'container', path);
      assert.ok(g.notes.some((n) => n.includes('filled in at run time')), path);
      assert.equal(f[0]!.location.line, 1, path);
    }
  });

  test('a URL built piece by piece from variables, the account assigned above', () => {
    const text = `AZURE_ACC_NAME = 'trainingdata07'\nAZURE_CONTAINER = 'exports'\n\nurl = 'https://'+AZURE_ACC_NAME+'.blob.core.windows.net/'+AZURE_CONTAINER+'/'+blob+'?sv=2021-08-06&sr=b&sp=r&se=2031-01-01&sig=${sig}'\n`;
    const f = sas(text, 'links.py');
    assert.equal(f.length, 1);
    const g = f[0]!.grant!;
    assert.deepEqual([g.account, g.accountSource, g.accountLine, g.scope], ['trainingdata07', 'inferred', 1, 'object']);
    assert.deepEqual([f[0]!.location.line, f[0]!.location.column], position(text, "'https://'").map((n, i) => (i ? n + 1 : n)));
  });

  test('a signature that is an interpolation is a placeholder, not a finding', () => {
    const texts = [
      'url = f"https://{account}.blob.core.windows.net/c?sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig={sig}"',
      'const url = `https://${account}.blob.core.windows.net/c?sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig=${sig}`;',
      'url = "https://acct1.blob.core.windows.net/c?sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig=" + sig',
      'url = "https://acct1.blob.core.windows.net/c?" + "sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig=" + signature',
    ];
    for (const t of texts) {
      assert.deepEqual(sas(t, 'x.py'), [], t);
      assert.ok(findIn(t, { path: 'x.py', now: NOW, includeExamples: true }).every((f) => f.example), t);
    }
  });

  test('literals that are not pieces of one link stay apart', () => {
    const other = encodeSig(fakeSig('other'));
    const text = `print("${HOST}?${PARAMS}&${TIMES}&sig=${sig}", "https://backup02.blob.core.windows.net/c?sv=2021-08-06&sr=c&sp=r&se=2031-01-01&sig=${other}")\n`;
    const f = sas(text, 'two.py');
    assert.deepEqual(f.map((x) => x.grant!.account), ['mlassets01', 'backup02']);
  });
});

describe('2. several links on one line: each found, each with its own host and account', () => {
  const a = `https://srcdata01.blob.core.windows.net/in?sv=2021-08-06&sr=c&sp=rl&se=2031-01-01&sig=${encodeSig(fakeSig('a'))}`;
  const b = `https://dstdata02.blob.core.windows.net/out?sv=2021-08-06&sr=c&sp=rwl&se=2031-01-01&sig=${encodeSig(fakeSig('b'))}`;
  const lines: [string, string][] = [
    ['copy.sh', `azcopy copy "${a}" "${b}" --recursive\n`],
    ['README.md', `| source | destination |\n|---|---|\n| ${a} | ${b} |\n`],
    ['links.json', `{"links": ["${a}", "${b}"]}\n`],
    ['links.csv', `name,links\nnightly,${a},${b}\n`],
    ['escaped.json', `{"links":["${a.replace(/&/g, '\\u0026')}","${b.replace(/&/g, '\\u0026')}"]}\n`],
  ];
  for (const [path, text] of lines) {
    test(path, () => {
      const f = sas(text, path);
      assert.deepEqual(
        f.map((x) => [x.grant!.account, x.grant!.resource?.host, x.grant!.resource?.container]),
        [
          ['srcdata01', 'srcdata01.blob.core.windows.net', 'in'],
          ['dstdata02', 'dstdata02.blob.core.windows.net', 'out'],
        ],
        path,
      );
      const line = position(text, 'https://srcdata01')[0];
      assert.deepEqual(f.map((x) => [x.location.line, x.location.column]), [position(text, 'https://srcdata01'), [line, position(text, 'https://dstdata02')[1]]]);
    });
  }
});

describe('3. any parameter first; stored-policy links without sp or se', () => {
  test('every order of the parameters reads the same grant', () => {
    const params: [string, string][] = [
      ['sip', '10.1.0.0-10.1.255.255'],
      ['spr', 'https'],
      ['sv', '2021-08-06'],
      ['ss', 'b'],
      ['srt', 'co'],
      ['sp', 'rl'],
      ['se', '2031-01-01T00:00:00Z'],
      ['sig', sig],
    ];
    // every rotation, and each rotation reversed: each parameter comes first (and last) once
    for (let r = 0; r < params.length; r++) {
      for (const order of [[...params.slice(r), ...params.slice(0, r)], [...params.slice(r), ...params.slice(0, r)].reverse()]) {
        const q = order.map(([k, v]) => `${k}=${v}`).join('&');
        for (const text of [`SAS_TOKEN=${q}`, `url = "https://acct1.blob.core.windows.net/c?${q}"`]) {
          const f = sas(text, 'x.env');
          assert.equal(f.length, 1, text);
          assert.equal(f[0]!.grant!.kind, 'account-sas', text);
          assert.equal(f[0]!.grant!.ipRange, '10.1.0.0-10.1.255.255', text);
          assert.deepEqual(f[0]!.grant!.protocols, ['https'], text);
        }
      }
    }
  });

  test('a service SAS bound to a stored access policy: permissions and expiry live in the policy', () => {
    for (const text of [
      `POLICY_SAS="sv=2021-08-06&sr=c&si=readonly-2024&sig=${sig}"`,
      `POLICY_SAS="si=readonly-2024&sv=2021-08-06&sig=${sig}&sr=c"`,
      `POLICY_SAS="sig=${sig}&si=readonly-2024&sv=2021-08-06"`,
      `https://acct1.blob.core.windows.net/reports?si=readonly-2024&sr=c&sig=${sig}&sv=2021-08-06`,
    ]) {
      const f = sas(text, 'x.env');
      assert.equal(f.length, 1, text);
      const g = f[0]!.grant!;
      assert.equal(g.storedPolicy, 'readonly-2024', text);
      assert.equal(g.permissions, null, text);
      assert.equal(g.expiry, null, text);
      assert.equal(g.revocation, 'delete-stored-policy', text);
      assert.ok(g.notes.some((n) => n.startsWith('expiry comes from stored access policy "readonly-2024"')), text);
    }
  });

  test('too little to be a SAS without a host', () => {
    for (const text of [`X="sv=2021-08-06&sig=${sig}"`, `X="si=readonly&sig=${sig}"`, `X="si=readonly&sr=c&sig=${sig}"`, `X="sv=1.0&si=readonly&sig=${sig}"`]) {
      assert.deepEqual(sas(text, 'x.env'), [], text);
    }
  });
});

describe('6. context carries: the emulator, and the account a bare token does not name', () => {
  const token = sasQuery({ sv: '2021-08-06', ss: 'b', srt: 'sco', sp: 'rwdl', se: '2031-01-01T00:00:00Z' }, 'ctx');

  test('a bare token next to the emulator endpoint is an emulator token (info)', () => {
    const texts: [string, string][] = [
      ['settings.py', `BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"\nSAS_TOKEN = "${token}"\n`],
      ['queue.env', `AZURE_QUEUE_ENDPOINT=http://localhost:10001/devstoreaccount1\nAZURE_QUEUE_SAS=${token}\n`],
      ['local.settings.json', `{\n  "Values": {\n    "AzureWebJobsStorage": "UseDevelopmentStorage=true",\n    "SasToken": "${token}"\n  }\n}\n`],
      ['docker-compose.yml', `services:\n  azurite:\n    image: mcr.microsoft.com/azure-storage/azurite\n  app:\n    environment:\n      STORAGE_URL: http://azurite:10000/devstoreaccount1\n      STORAGE_SAS: "${token}"\n`],
    ];
    for (const [path, text] of texts) {
      const f = sas(text, path);
      assert.equal(f.length, 1, path);
      assert.equal(f[0]!.severity, 'info', path);
      assert.equal(f[0]!.grant!.emulator, true, path);
      assert.equal(f[0]!.grant!.account, 'devstoreaccount1', path);
      assert.equal(f[0]!.grant!.accountSource, 'inferred', path);
      assert.ok(f[0]!.reasons[0]!.includes('emulator'), path);
    }
  });

  test('the account named a few lines up (or just below) fills the grant, marked as inferred with its line', () => {
    const texts: [string, string, string][] = [
      ['upload.py', `account_name = "trainingdata07"\ncontainer = "checkpoints"\nsas_token = "${token}"\n`, 'account_name'],
      ['.env', `AZURE_STORAGE_ACCOUNT=trainingdata07\nAZURE_STORAGE_SAS_TOKEN=?${token}\n`, 'AZURE_STORAGE_ACCOUNT'],
      ['values.yaml', `storage:\n  accountName: trainingdata07\n  container: checkpoints\n  sasToken: "${token}"\n`, 'accountName'],
      ['deploy.sh', `az storage blob upload --account-name trainingdata07 \\\n  --sas-token "${token}" \\\n  -c checkpoints -f model.bin\n`, '--account-name'],
      ['app.config', `<add key="StorageAccountName" value="trainingdata07" />\n<add key="SasToken" value="${token.replace(/&/g, '&amp;')}" />\n`, 'StorageAccountName'],
      ['after.py', `sas_token = "${token}"\nSTORAGE_ACCOUNT = "trainingdata07"\n`, 'STORAGE_ACCOUNT'],
    ];
    for (const [path, text, label] of texts) {
      const f = sas(text, path);
      assert.equal(f.length, 1, path);
      const g = f[0]!.grant!;
      assert.equal(g.account, 'trainingdata07', path);
      assert.equal(g.accountSource, 'inferred', path);
      assert.equal(g.accountLine, position(text, label)[0], path);
      assert.equal(g.emulator, false, path);
      assert.ok(f[0]!.severity !== 'info', path);
    }
  });

  test('the host of an f-string is filled from the variable a few lines up', () => {
    const text = `ACCOUNT = "trainingdata07"\n\ndef link(container):\n    return f"https://{ACCOUNT}.blob.core.windows.net/{container}?${token}"\n`;
    const g = sas(text, 'links.py')[0]!.grant!;
    assert.equal(g.account, 'trainingdata07');
    assert.equal(g.accountSource, 'inferred');
    assert.equal(g.accountLine, 1);
  });

  test('no inference from a link that names its own account, from far away, or over the link\'s own host', () => {
    const other = `https://archive09.blob.core.windows.net/c?sv=2021-08-06&sr=c&sp=r&se=2031-01-01&sig=${encodeSig(fakeSig('other'))}`;
    const far = `account_name = "trainingdata07"\n${'x = 1\n'.repeat(40)}sas_token = "${token}"\n`;
    const own = `account_name = "trainingdata07"\nurl = "https://ownacct01.blob.core.windows.net/c?${token}"\n`;
    assert.equal(sas(`${other}\nSAS_TOKEN=${token}\n`, 'a.env').find((f) => f.location.line === 2)!.grant!.account, null);
    assert.equal(sas(far, 'far.py')[0]!.grant!.account, null);
    assert.deepEqual([sas(own, 'own.py')[0]!.grant!.account, sas(own, 'own.py')[0]!.grant!.accountSource], ['ownacct01', 'url']);
    const cdn = `account_name = "trainingdata07"\nurl = "https://cdn.contoso-research.com/c?${token}"\n`;
    assert.equal(sas(cdn, 'cdn.py')[0]!.grant!.account, null, 'a custom domain may front any account');
  });

  test('a cloud link next to emulator settings stays a cloud link', () => {
    const text = `BLOB_ENDPOINT = "http://127.0.0.1:10000/devstoreaccount1"\nPROD = "https://prodacct01.blob.core.windows.net/c?${token}"\n`;
    const f = sas(text, 'settings.py');
    assert.equal(f[0]!.grant!.emulator, false);
    assert.notEqual(f[0]!.severity, 'info');
  });
});
