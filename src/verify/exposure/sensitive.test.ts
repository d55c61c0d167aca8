import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyObject } from './sensitive.js';

describe('classifyObject', () => {
  it('flags what leaked storage has held', () => {
    const cases: [string, string][] = [
      ['backups/ws01/disk0.vhd', 'disk-image'],
      ['vm/osdisk.VHDX', 'disk-image'],
      ['mail/archive.pst', 'mailbox'],
      ['db/nightly.bak', 'backup'],
      ['home/alice-home.tar.gz', 'archive'],
      ['users/bob/Documents.zip', 'archive'],
      ['users/alice/.ssh/id_rsa', 'private-key'],
      ['keys/server.pem', 'private-key'],
      ['certs/site.pfx', 'private-key'],
      ['certs/site.crt', 'certificate'],
      ['app/.env', 'env'],
      ['app/.env.production', 'env'],
      ['.aws/credentials', 'credentials'],
      ['deploy/terraform.tfstate', 'credentials'],
      ['gcp/service-account-prod.json', 'credentials'],
      ['site/web.config', 'config'],
      ['api/appsettings.Production.json', 'config'],
      ['export/teams/messages_2023.json', 'chat-export'],
      ['crm/customers.sqlite', 'database'],
      ['dumps/prod.sql', 'database'],
      ['models/resnet50_l2_eps3.ckpt', 'model-checkpoint'],
      ['models/model.safetensors', 'model-checkpoint'],
      ['weights/policy.pkl', 'model-checkpoint'],
    ];
    for (const [name, category] of cases) assert.equal(classifyObject(name)?.category, category, name);
  });

  it('leaves ordinary and public files alone', () => {
    for (const name of ['users/alice/.ssh/id_rsa.pub', 'images/cat.png', 'docs/readme.md', 'release/app-1.2.zip', 'data/train.csv', 'src/config.ts', 'config']) {
      assert.equal(classifyObject(name), null, name);
    }
  });
});
