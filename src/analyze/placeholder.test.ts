import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sampleBase64, sampleChars } from '../detect/rules/samples.js';
import { dictionaryWords, fewDistinctForAlphabet, naturalLanguage, placeholderShape, referenceShape, repeatedUnit, sequential } from './placeholder.js';

/** Values shaped like generated secrets: none of the shapes may call them placeholders. */
function generated(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 300; i++) {
    out.push(sampleChars(`p${i}`, 8 + (i % 40)));
    out.push(sampleChars(`h${i}`, 32, '0123456789abcdef'));
    out.push(sampleChars(`l${i}`, 10 + (i % 20), 'abcdefghijklmnopqrstuvwxyz0123456789'));
    out.push(sampleBase64(`b${i}`, 12 + (i % 40)));
    out.push(sampleChars(`s${i}`, 12 + (i % 12), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%&*+-=?@^_~'));
  }
  return out;
}

describe('placeholders by shape', () => {
  it('keeps values shaped like generated secrets and typed-but-real passwords', () => {
    const kept = [...generated(), 'kamran1122', 'Tq8vN2zLx4Kp9Wm', 'Hv7#pL2q!zX9', 'mFY6-5JMo1W3vY', 'rapunz3l', 'c8ZqT1vX4mN7bK2p'];
    const called = kept.filter((v) => placeholderShape(v) !== null).map((v) => `${v}: ${placeholderShape(v)}`);
    assert.deepEqual(called, []);
  });

  it('sample words and hex filler', () => {
    for (const v of ['FAKE-api-key-1234', 'sk_dummy_9f8e7d', 'EXAMPLEKEY7Q2W', 'notARealSecret9', 'DEADBEEF00112233', 'mockedSecret42', 'x-cafebabe-token']) {
      assert.match(placeholderShape(v) ?? '', /sample|placeholder/, v);
    }
  });

  it('sequences: ascending, descending, interleaved letters and digits', () => {
    for (const v of ['abcdefgh', 'xyzABCDEF123', '9876543210', 'a1b2c3d4e5', 'A1B2C3D4', 'key-123456789-x']) assert.ok(sequential(v), v);
    for (const v of ['abcde9Qz', 'a1b3c5', 'Tq8vN2zLx4Kp9Wm']) assert.ok(!sequential(v), v);
  });

  it('repetitions of a short unit', () => {
    for (const v of ['abcabcabc', 'deadbeefdeadbeef', 'xyxyxyxy', '12341234']) assert.ok(repeatedUnit(v), v);
    for (const v of ['abcabcabd', 'Tq8vN2zLx4Kp9Wm', 'abab']) assert.ok(!repeatedUnit(v), v);
  });

  it('low entropy for the claimed alphabet', () => {
    for (const v of ['aaaaBBBB1111', 'qqqqwwww1111eeee', '0000111100001111', 'AAAAAAAAbbbbbbbbCC']) assert.ok(fewDistinctForAlphabet(v), v);
    for (const v of ['Tq8vN2zLx4Kp9Wm', sampleChars('e', 40, '0123456789abcdef'), 'abc']) assert.ok(!fewDistinctForAlphabet(v), v);
  });

  it('dictionary words, with leetspeak inside words undone', () => {
    for (const v of ['sessiontoken123', 'usertoken789', 'Password12!', 'P@ssw0rd!', 'my_secret_api_key', 'SuperSecretPassword', 'hello-world-2024', 'Kennwort']) {
      assert.ok(dictionaryWords(v), v);
    }
    for (const v of ['kamran1122', 'rapunz3l', 'Tq8vN2zLx4Kp9Wm', 'aybabtu', 'a1']) assert.ok(!dictionaryWords(v), v);
  });

  it('natural-language text in other languages', () => {
    for (const v of ['Contraseña', 'Пароль', 'Passwörter', 'パスワードを入力']) assert.ok(naturalLanguage(v), v);
    for (const v of ['Pässw0rd', 'Tq8vN2zLx4Kp9Wm']) assert.ok(!naturalLanguage(v), v);
  });

  it('references and things that are not secrets at all', () => {
    const cases: [string, RegExp][] = [
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', /ARN/],
      ['projects/my-proj/secrets/db-password', /Secret Manager/],
      ['bin/secretlint.js', /file path/],
      ['@/etc/passwd', /file path/],
      ['~/.vimrc', /file path/],
      ['./certs/server.key', /file path/],
      ['#login-password', /selector/],
      ['.password-field', /selector/],
      ['input[type=password]', /selector/],
      ['loggedin|twosock', /enumeration/],
    ];
    for (const [v, why] of cases) assert.match(referenceShape(v) ?? '', why, v);
    for (const v of ['Tq8v/N2zLx4Kp9Wm', 'ab/cd+ef==', '#Hq7pL2q!zX9']) assert.equal(referenceShape(v), null, v);
  });
});
