import { credential, example, keyGrant } from '../credential.js';
import { looksLikePlaceholder, shannonEntropy } from '../placeholder.js';
import type { Analysis, AnalysisContext, MatchInput } from '../types.js';
import { adoLegacyChecksum, checkCask, checkIdentifiable, entraChecksum } from './identifiable.js';

/**
 * Azure keys other than storage account keys, each recognised by a checksum it carries.
 * Severity:
 * - identifiable service keys and CASK keys with a valid checksum → high (API keys of the
 *   service; a random look-alike fails the checksum and is dropped);
 * - Entra ID client secrets: `8Q~` with a valid checksum → high; `7Q~` (no checksum) → high
 *   when the shape holds; an `8Q~` secret failing its checksum is dropped;
 * - Azure DevOps PATs (CASK `AZDO`, or legacy 52-character with a valid checksum) → high.
 */
export function analyzeIdentifiableKey(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const key = match.groups['secret'] ?? match.groups['cask'];
  if (!key) return null;
  if (match.groups['cask']) {
    const cask = checkCask(key);
    if (!cask || !cask.checksumValid || cask.provider === 'AZDO') return null;
    return serviceKey(key, cask.service, { format: 'cask', provider: cask.provider, checksumValid: true, created: cask.created });
  }
  const ident = checkIdentifiable(key);
  if (!ident || !ident.checksumValid || ident.kind.signature === '+ASt') return null;
  return serviceKey(key, ident.kind.service, { format: 'identifiable', signature: ident.kind.signature, checksumValid: true });
}

function serviceKey(key: string, service: string, details: Record<string, unknown>): Analysis {
  return credential({
    rule: 'azure-identifiable-key',
    title: service,
    severity: 'high',
    reasons: [`${service} (signature and checksum verified offline)`, 'grants API access to that service until the key is regenerated'],
    secret: key,
    details,
    grant: keyGrant({
      provider: 'azure',
      kind: 'azure-service-key',
      scope: 'service',
      revocation: 'rotate-account-key',
      revocationHint: `regenerate the key in the resource's Keys blade (or its CLI "keys regenerate" command); clients using it must switch to the other key`,
      details: { service, ...details },
    }),
    remediation: ['Revoke: regenerate this key on its resource; move clients to the secondary key first.', 'Replace: use Entra ID (managed identity) authentication where the service supports it.'],
  });
}

export function analyzeEntraSecret(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const secret = match.groups['secret'];
  if (!secret) return null;
  const checksum = entraChecksum(secret);
  if (checksum === false) return null;
  if (looksLikePlaceholder(secret) || shannonEntropy(secret) < 3.8) return example('azure-entra-client-secret', secret, 'placeholder client secret');
  const clientId = guidNear(match, /client[_-]?id|app[_-]?id|application[_-]?id/i);
  const tenantId = guidNear(match, /tenant[_-]?id|directory[_-]?id/i);
  return credential({
    rule: 'azure-entra-client-secret',
    title: 'Microsoft Entra ID client secret',
    severity: 'high',
    reasons: [
      checksum ? 'Entra ID application client secret (checksum verified offline)' : 'Entra ID application client secret (legacy 7Q~ format, no checksum)',
      'authenticates as the application (service principal) with every role and API permission it holds, until the secret expires or is deleted',
    ],
    secret,
    details: { checksumValid: checksum, format: secret.slice(3, 6), clientId, tenantId },
    grant: keyGrant({
      provider: 'azure',
      kind: 'entra-client-secret',
      account: tenantId,
      scope: 'application',
      revocation: 'revoke-token',
      revocationHint: `delete the secret from the app registration${clientId ? ` ${clientId}` : ''} (az ad app credential delete --id <appId> --key-id <keyId>)`,
      details: { clientId, tenantId },
    }),
    remediation: [
      `Revoke: delete this client secret from the app registration${clientId ? ` (${clientId})` : ''}: az ad app credential list/delete.`,
      'Replace: prefer managed identities or workload identity federation over client secrets.',
      'Investigate: Entra sign-in logs (service principal sign-ins) for the application since the leak.',
    ],
  });
}

function guidNear(match: MatchInput, label: RegExp): string | null {
  const text = `${match.context?.before ?? ''}\n${match.context?.after ?? ''}`;
  const re = new RegExp(`(?:${label.source})["']?\\s*(?:[:=]|=>)\\s*["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`, 'i');
  return re.exec(text)?.[1]?.toLowerCase() ?? null;
}

export function analyzeDevOpsPat(match: MatchInput, _ctx: AnalysisContext): Analysis | null {
  const cask = match.groups['cask'];
  const legacy = match.groups['legacy'];
  let details: Record<string, unknown>;
  let secret: string;
  if (cask) {
    const c = checkCask(cask);
    if (!c || c.provider !== 'AZDO') return null;
    secret = cask;
    details = { format: 'cask', created: c.created };
  } else if (legacy) {
    if (!adoLegacyChecksum(legacy)) return null;
    secret = legacy;
    details = { format: 'legacy', checksumValid: true };
  } else return null;
  const org = /dev\.azure\.com\/([A-Za-z0-9-]+)|([A-Za-z0-9-]+)\.visualstudio\.com/.exec(`${match.context?.before ?? ''} ${match.context?.after ?? ''}`);
  const organization = org ? (org[1] ?? org[2] ?? null) : null;
  return credential({
    rule: 'azure-devops-pat',
    title: 'Azure DevOps personal access token',
    severity: 'high',
    reasons: ['Azure DevOps personal access token: acts as the user who created it within its scopes (code, pipelines, artifacts), until it expires or is revoked'],
    secret,
    details: { ...details, organization },
    grant: keyGrant({
      provider: 'azure',
      kind: 'azure-devops-pat',
      account: organization,
      scope: 'organization',
      revocation: 'revoke-token',
      revocationHint: `revoke it under User settings → Personal access tokens${organization ? ` in ${organization}` : ''} (an organization admin can revoke it via the PAT lifecycle API)`,
    }),
    remediation: ['Revoke: User settings → Personal access tokens → Revoke (admins: Organization settings → Policies / PAT revocation API).', 'Replace: use Entra ID tokens or short-lived PATs with the narrowest scopes.'],
  });
}
