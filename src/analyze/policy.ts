/**
 * The link policy findings are judged against. Defaults follow Microsoft's and Wiz's
 * guidance after the 2023 incident (short-lived, HTTPS, narrow); a config file tightens or
 * relaxes them. A violation is a finding reason and raises the finding to at least
 * `violationSeverity` while the link is usable.
 */
import type { Severity } from '../model/severity.js';

export interface ResourcePolicy {
  account?: string;
  container?: string;
  bucket?: string;
  /** Permissions links to this resource may carry. */
  allowPermissions: string[];
}

export interface LinkPolicy {
  /** Longest acceptable validity of a shared link, in seconds. */
  maxLifetimeSeconds: number;
  /** Set when the user configured maxLifetime: exceeding it is then a policy violation. */
  enforceMaxLifetime?: boolean;
  forbidKinds?: string[];
  forbidPermissions?: string[];
  requireHttpsOnly?: boolean;
  requireIpRestriction?: boolean;
  allowedAccounts?: string[];
  allowedBuckets?: string[];
  resources?: ResourcePolicy[];
  violationSeverity?: Severity;
}

export const DEFAULT_POLICY: LinkPolicy = {
  maxLifetimeSeconds: 7 * 86_400,
};
