import { crc32, encodeInAlphabet, marvin32 } from '../checksum.js';

/**
 * Microsoft's "identifiable" secrets carry a service signature and a Marvin32 checksum
 * inside the key (microsoft/security-utilities, MIT): a 4-character signature just before
 * the last 6 Base64 characters, whose 4 decoded bytes are the checksum of everything
 * before them, seeded per key kind. Newer "common annotated" (CASK) keys are 84 characters
 * with `JQQJ99` at offset 52 and the provider signature at offset 76.
 */
export interface IdentifiableKind {
  signature: string;
  service: string;
  /** Marvin seeds, hex, one per key kind of that service. */
  seeds: string[];
  urlSafe?: boolean;
}

const MESSAGING = ['53656e6430303030', '4c697374656e3030', '4d616e6167653030', '53797374656d3030', '556e6b6e6f776e30'];

export const IDENTIFIABLE_KINDS: IdentifiableKind[] = [
  { signature: '+ASt', service: 'Azure Storage account key', seeds: ['44656661756c7430'] },
  { signature: 'AzFu', service: 'Azure Functions key', seeds: ['46756e6374693030', '53797374656d3030', '4d61737465723030'], urlSafe: true },
  { signature: '+ACR', service: 'Azure Container Registry key', seeds: ['41435244666c7430'] },
  { signature: 'AzSe', service: 'Azure AI Search key', seeds: ['5175657279303030', '5041646d696e3030'] },
  { signature: '+ASb', service: 'Azure Service Bus key', seeds: MESSAGING },
  { signature: '+AEh', service: 'Azure Event Hubs key', seeds: MESSAGING },
  { signature: '+ARm', service: 'Azure Relay key', seeds: MESSAGING },
  { signature: 'AIoT', service: 'Azure IoT key', seeds: ['496f544875623030', '4470734b65793030', '4465766963653030'] },
  { signature: 'APIM', service: 'Azure API Management key', seeds: ['54656e616e743030', '496f544875623030', '4761746577793030', '4769744b65793030'] },
  {
    signature: 'ACDb',
    service: 'Azure Cosmos DB key',
    seeds: ['4d617374524f3030', '4d61737452573030', '537973416c6c3030', '5265736f75723030', '53797374524f3030', '5379737452573030', '456e637279703030'],
  },
  { signature: 'AzCa', service: 'Azure Cache for Redis key', seeds: ['4163636573733030'] },
  { signature: '+ABa', service: 'Azure Batch key', seeds: ['4162416363743030'] },
  { signature: '+AMC', service: 'Azure Machine Learning (classic) key', seeds: ['436c617373696330'] },
];

/** The seed of CASK keys ("Default0" reversed, as a little-endian 64-bit integer). */
const CASK_SEED = '44656661756c7430';

/** Provider signatures seen in CASK keys (offset 76). */
export const CASK_PROVIDERS: Record<string, string> = {
  ACOG: 'Azure AI services (Cognitive Services / Azure OpenAI) key',
  AWPS: 'Azure Web PubSub key',
  AZEG: 'Azure Event Grid key',
  AZDO: 'Azure DevOps personal access token',
  AZSF: 'Azure Service Fabric key',
  AMLW: 'Azure Machine Learning key',
  ASRF: 'Azure SignalR key',
  AZCR: 'Azure Container Registry key',
};

export interface IdentifiableVerdict {
  kind: IdentifiableKind;
  checksumValid: boolean;
}

function toStandard(key: string): string {
  return key.replace(/-/g, '+').replace(/_/g, '/');
}

/** Which identifiable kind a key claims (by its signature), and whether its checksum holds. */
export function checkIdentifiable(key: string): IdentifiableVerdict | null {
  const trimmed = key.replace(/=+$/, '');
  const signature = trimmed.slice(-10, -6);
  const kind = IDENTIFIABLE_KINDS.find((k) => k.signature === signature || (k.urlSafe && toStandard(k.signature) === toStandard(signature)));
  if (!kind) return null;
  const bytes = Buffer.from(toStandard(key), 'base64');
  if (bytes.length < 8) return { kind, checksumValid: false };
  const expected = bytes.readUInt32LE(bytes.length - 4);
  const body = bytes.subarray(0, bytes.length - 4);
  return { kind, checksumValid: kind.seeds.some((seed) => marvin32(body, seed) === expected) };
}

/** An 84-character CASK key: provider name and whether its checksum holds. */
export function checkCask(key: string): { provider: string; service: string; checksumValid: boolean; created: string | null } | null {
  if (!/^[A-Za-z0-9]{52}JQQJ9[9D][A-Za-z0-9]{26}(?:[A-Za-z0-9]{2}==)?$/.test(key)) return null;
  const provider = key.slice(76, 80);
  const short = key.slice(0, 84);
  const bytes = Buffer.from(short, 'base64'); // 63 bytes: 60 of key, 3 of checksum
  const sum = marvin32(bytes.subarray(0, 60), CASK_SEED);
  const valid = (sum & 0xff) === bytes[60] && ((sum >>> 8) & 0xff) === bytes[61] && ((sum >>> 16) & 0xff) === bytes[62];
  const year = key.charCodeAt(58) - 65;
  const month = key.charCodeAt(59) - 65;
  const created = year >= 0 && year < 26 && month >= 0 && month < 12 ? `${2024 + year}-${String(month + 1).padStart(2, '0')}` : null;
  return { provider, service: CASK_PROVIDERS[provider] ?? `Azure key (provider ${provider})`, checksumValid: valid, created };
}

const ENTRA_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~';
const ENTRA_SEED = '4161645077643030';

/**
 * Entra ID (Azure AD) client secrets: `xxx8Q~…` secrets end with the first 3 characters of a
 * Marvin32 checksum (of the rest, Latin-1) in Entra's 66-character alphabet; `7Q~` secrets
 * carry no checksum.
 */
export function entraChecksum(secret: string): boolean | null {
  const marker = secret.slice(3, 6);
  if (marker === '7Q~') return null;
  if (marker !== '8Q~') return false;
  const sum = marvin32(Buffer.from(secret.slice(0, -3), 'latin1'), ENTRA_SEED);
  return encodeInAlphabet(sum, ENTRA_ALPHABET, 6).slice(0, 3) === secret.slice(-3);
}

/**
 * Legacy Azure DevOps PATs: 52 lower-case Base32 characters (32 bytes) whose CRC-32 of 28
 * scattered bytes, XOR a per-kind constant, is stored in bytes 2, 7, 8 and 22.
 */
export function adoLegacyChecksum(pat: string): boolean {
  if (!/^[a-z2-7]{52}$/.test(pat)) return false;
  const b = base32Decode(pat);
  const token = Buffer.concat([b.subarray(0, 2), b.subarray(3, 7), b.subarray(9, 22), b.subarray(23, 32)]);
  const stored = (b[22]! | (b[8]! << 8) | (b[7]! << 16) | (b[2]! << 24)) >>> 0;
  const crc = crc32(token);
  return ((crc ^ 0xe0b9692d) >>> 0) === stored || ((crc ^ 0x1019f92e) >>> 0) === stored;
}

function base32Decode(s: string): Buffer {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const out = Buffer.alloc(Math.floor((s.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const ch of s) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out[o++] = (value >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
  }
  return out;
}
