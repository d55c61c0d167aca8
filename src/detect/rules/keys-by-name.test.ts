import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Finding } from '../../model/finding.js';
import { findIn } from '../../testing/find.js';
import { alphabets, awsSecret, join, sampleBase64, sampleChars } from './samples.js';

/**
 * 4. Keys named by their context, not their format: an Azure Storage account key or an AWS
 * secret access key under the names configuration files give them, with the confidence the
 * name earns (medium for a specific name and the exact format, low for a generic name that
 * only its surroundings make a key), and never on placeholders or references.
 */
function accountKey(seed: string): string {
  // 64 bytes whose Base64 ends in [AQgw]==, as real account keys do
  const raw = Buffer.from(sampleBase64(`named:${seed}`, 64), 'base64');
  raw[63] = raw[63]! & 0xf0;
  return raw.toString('base64');
}

function of(rule: string, text: string, path: string): Finding[] {
  return findIn(text, { path }).filter((f) => f.rule === rule);
}

/** 1-based line and column of `needle` in `text`. */
function position(text: string, needle: string): [number, number] {
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return [before.length, before[before.length - 1]!.length + 1];
}

describe('Azure Storage account keys named by their context', () => {
  const cases: [string, string, string, 'medium' | 'low'][] = [
    ['web.config', `<appSettings>\n  <add key="StorageAccountName" value="contosoprod01" />\n  <add key="StorageAccountKey" value="${accountKey('web')}" />\n</appSettings>\n`, 'contosoprod01', 'medium'],
    ['App.config', `<configuration>\n  <appSettings>\n    <add key="AccountName" value="contosoprod01"/>\n    <add key="AccountKey" value="${accountKey('app')}"/>\n  </appSettings>\n</configuration>\n`, 'contosoprod01', 'medium'],
    ['Settings.settings', `<Setting Name="StorageAccountName" Type="System.String"><Value>contosoprod01</Value></Setting>\n<Setting Name="StorageAccountKey" Type="System.String"><Value>${accountKey('settings')}</Value></Setting>\n`, 'contosoprod01', 'medium'],
    ['storage.xml', `<Storage>\n  <AccountName>contosoprod01</AccountName>\n  <AccountKey>${accountKey('element')}</AccountKey>\n</Storage>\n`, 'contosoprod01', 'medium'],
    ['storage.json', `{\n  "storage": {\n    "name": "contosoprod01",\n    "key": "${accountKey('json')}"\n  }\n}\n`, 'contosoprod01', 'low'],
    ['storage.yaml', `storage:\n  account: contosoprod01\n  key: ${accountKey('yaml-generic')}\n`, 'contosoprod01', 'low'],
    ['values.yaml', `azure:\n  accountName: contosoprod01\n  accountKey: ${accountKey('yaml')}\n`, 'contosoprod01', 'medium'],
    ['main.tf', `resource "azurerm_function_app" "fn" {\n  storage_account_name       = "contosoprod01"\n  storage_account_access_key = "${accountKey('tf')}"\n}\n`, 'contosoprod01', 'medium'],
    ['outputs.tf', `storage_account_name = "contosoprod01"\nprimary_access_key = "${accountKey('tf-out')}"\n`, 'contosoprod01', 'medium'],
    ['.env', `AZURE_STORAGE_ACCOUNT=contosoprod01\nAZURE_STORAGE_ACCESS_KEY=${accountKey('env')}\n`, 'contosoprod01', 'medium'],
    ['.env.local', `AZURE_STORAGE_ACCOUNT_NAME=contosoprod01\nAZURE_STORAGE_KEY=${accountKey('env2')}\n`, 'contosoprod01', 'medium'],
    ['config.js', `module.exports = {\n  accountName: 'contosoprod01',\n  accessKey: '${accountKey('js')}',\n};\n`, 'contosoprod01', 'medium'],
  ];
  for (const [path, text, account, confidence] of cases) {
    test(path, () => {
      const f = of('azure-storage-account-key', text, path);
      assert.equal(f.length, 1, `${path}: ${JSON.stringify(findIn(text, { path }).map((x) => x.rule))}`);
      assert.equal(f[0]!.grant!.account, account, path);
      assert.equal(f[0]!.grant!.accountSource, 'inferred', path);
      assert.equal(f[0]!.grant!.accountLine, position(text, account)[0], path);
      assert.equal(f[0]!.confidence, confidence, path);
      assert.equal(f[0]!.severity, 'critical', path);
      const key = text.match(/[A-Za-z0-9+/]{86}==/)![0];
      assert.deepEqual([f[0]!.location.line, f[0]!.location.column <= position(text, key)[1]], [position(text, key)[0], true], path);
    });
  }

  test('a connection string split over string literals is one credential, with its account', () => {
    const text = `CONN = (\n    "DefaultEndpointsProtocol=https;AccountName=contosoprod01;"\n    "AccountKey=${accountKey('split-cs')};EndpointSuffix=core.windows.net"\n)\n`;
    const f = of('azure-storage-connection-string', text, 'settings.py');
    assert.equal(f.length, 1);
    assert.deepEqual([f[0]!.grant!.account, f[0]!.location.line, f[0]!.location.encoding], ['contosoprod01', 2, 'joined-strings']);
  });

  test('not on placeholders, references, other objects, or a generic key without an account', () => {
    const texts: [string, string][] = [
      ['web.config', '<add key="StorageAccountKey" value="${STORAGE_ACCOUNT_KEY}" />'],
      ['web.config', '<add key="StorageAccountKey" value="<your-storage-account-key>" />'],
      ['config.js', 'module.exports = { accountName: "contosoprod01", accountKey: process.env.AZURE_STORAGE_KEY };'],
      ['vectors.json', `{"name": "example-2", "key": "${accountKey('vector')}", "message": "abc"}`],
      ['cache.json', `{"id": 7, "key": "${accountKey('cache')}"}`],
      ['other.json', `[{"name": "contosoprod01"}, {"key": "${accountKey('other-object')}"}]`],
      ['main.tf', 'storage_account_access_key = azurerm_storage_account.main.primary_access_key'],
    ];
    for (const [path, text] of texts) assert.deepEqual(of('azure-storage-account-key', text, path), [], text);
  });
});

describe('AWS secret access keys without their key id', () => {
  const cases: [string, string, 'medium' | 'low'][] = [
    ['aws.properties', `aws.accesskey=\naws.secretkey=${awsSecret('props')}\n`, 'medium'],
    ['config.json', `{\n  "awsSecretKey": "${awsSecret('json')}",\n  "region": "eu-west-1"\n}\n`, 'medium'],
    ['config.yml', `aws:\n  secret_access_key: ${awsSecret('yml')}\n`, 'medium'],
    ['.env', `AWS_SECRET_ACCESS_KEY=${awsSecret('env')}\n`, 'medium'],
    ['Web.config', `<add key="AWSSecretKey" value="${awsSecret('xml')}" />\n`, 'medium'],
    ['settings.py', `AWS_STORAGE_BUCKET_NAME = "media-exports"\nAWS_S3_REGION_NAME = "eu-west-1"\nSECRET_KEY = "${awsSecret('django-s3')}"\n`, 'low'],
    ['s3.yaml', `s3:\n  endpoint: https://s3.eu-west-1.amazonaws.com\n  secretKey: ${awsSecret('s3-yaml')}\n`, 'low'],
  ];
  for (const [path, text, confidence] of cases) {
    test(path, () => {
      const f = of('aws-access-key-secret', text, path);
      assert.equal(f.length, 1, `${path}: ${JSON.stringify(findIn(text, { path }).map((x) => x.rule))}`);
      assert.equal(f[0]!.confidence, confidence, path);
      assert.equal(f[0]!.location.line, position(text, awsSecret(path === 'aws.properties' ? 'props' : path === 'config.json' ? 'json' : path === 'config.yml' ? 'yml' : path === '.env' ? 'env' : path === 'Web.config' ? 'xml' : path === 'settings.py' ? 'django-s3' : 's3-yaml'))[0], path);
      assert.deepEqual(findIn(text, { path }).filter((x) => x.rule === 'generic-secret'), [], `${path}: the specific rule wins`);
    });
  }

  test('with its key id nearby, in either order, it is one key pair', () => {
    const keyId = join('AK', 'IA', sampleChars('named-pair', 16, alphabets.BASE32));
    for (const text of [`aws.secretkey=${awsSecret('pair')}\naws.accesskey=${keyId}\n`, `{"awsAccessKeyId": "${keyId}", "awsSecretKey": "${awsSecret('pair')}"}`]) {
      assert.deepEqual(findIn(text, { path: 'x' }).map((f) => [f.rule, f.location.line]), [['aws-access-key', 1]], text);
    }
  });

  test('not on placeholders, references, or a secretKey that is not AWS', () => {
    const texts = [
      'aws.secretkey=${AWS_SECRET_KEY}',
      '"awsSecretKey": "<your-secret-key>"',
      'secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY',
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `jwt:\n  issuer: auth.example.com\n  secretKey: ${awsSecret('jwt')}\n`,
    ];
    for (const text of texts) assert.deepEqual(of('aws-access-key-secret', text, 'x.yml'), [], text);
  });
});
