/**
 * The link policy severity is judged against. Defaults follow Microsoft's and Wiz's
 * guidance after the 2023 incident; a config file (see config/) can tighten or relax them.
 */
export interface LinkPolicy {
  /** Longest acceptable validity of a shared link, in seconds. */
  maxLifetimeSeconds: number;
}

export const DEFAULT_POLICY: LinkPolicy = {
  maxLifetimeSeconds: 7 * 86_400,
};
